import { parseConfig } from './config';

describe('the console settings (config.json)', () => {
  it('accepts the open API, a pasted token and Cognito with every setting', () => {
    expect(parseConfig({ apiUrl: '', auth: { mode: 'none' } }).auth).toEqual({ mode: 'none' });
    expect(parseConfig({ apiUrl: '', auth: { mode: 'token', extra: 1 } }).auth).toEqual({
      mode: 'token',
    });
    const cognito = {
      mode: 'cognito',
      domain: 'https://admin.auth.eu-west-1.amazoncognito.com',
      clientId: 'abc',
      redirectUri: 'https://d1.cloudfront.net/admin/callback',
      logoutUri: 'https://d1.cloudfront.net/admin/',
    };
    expect(parseConfig({ apiUrl: 'https://api.example.com/prod/', auth: cognito })).toEqual({
      apiUrl: 'https://api.example.com/prod/',
      auth: cognito,
    });
  });

  it('refuses a file that lacks what the console needs, naming it', () => {
    expect(() => parseConfig(null)).toThrow('apiUrl');
    expect(() => parseConfig({ apiUrl: '' })).toThrow('auth.mode');
    expect(() =>
      parseConfig({ apiUrl: '', auth: { mode: 'cognito', domain: 'https://d', clientId: 'c' } }),
    ).toThrow('auth.redirectUri');
  });
});
