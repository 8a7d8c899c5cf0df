import { checkDestination, refusalOf, type Resolver } from './address-guard';

const resolvesTo =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

describe('the addresses a webhook may reach', () => {
  it.each([
    '169.254.169.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    'fe80::1',
    'fd00:ec2::254',
    '::',
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
  ])('refuses %s', (address) => {
    expect(refusalOf(address, true)).toBeDefined();
  });

  it('refuses loopback unless it is allowed (ENVIRONMENT=local)', () => {
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1']) {
      expect(refusalOf(address, false)).toMatch(/loopback/);
      expect(refusalOf(address, true)).toBeUndefined();
    }
  });

  it('admits public addresses', () => {
    for (const address of ['93.184.215.14', '172.32.0.1', '2606:4700::1111']) {
      expect(refusalOf(address, false)).toBeUndefined();
    }
  });
});

describe('checking a webhook URL at delivery', () => {
  it('refuses a name that resolves to the metadata service or any private address', async () => {
    await expect(
      checkDestination('https://hooks.example.com/x', {
        allowLoopback: false,
        resolve: resolvesTo('169.254.169.254'),
      }),
    ).rejects.toThrow(/169\.254\.169\.254/);
    // One private address among public ones is enough to refuse (a rebinding name).
    await expect(
      checkDestination('https://hooks.example.com/x', {
        allowLoopback: false,
        resolve: resolvesTo('93.184.215.14', '10.0.0.7'),
      }),
    ).rejects.toThrow(/10\.0\.0\.7/);
  });

  it('connects to the address it checked', async () => {
    const checked = await checkDestination('https://hooks.example.com/x', {
      allowLoopback: false,
      resolve: resolvesTo('93.184.215.14'),
    });
    expect(checked.address).toBe('93.184.215.14');
  });

  it('refuses plain http but to loopback where allowed, and credentials in the URL', async () => {
    const publicName = { allowLoopback: true, resolve: resolvesTo('93.184.215.14') };
    await expect(checkDestination('http://hooks.example.com/x', publicName)).rejects.toThrow(
      /loopback/,
    );
    await expect(
      checkDestination('http://hooks.example.com/x', { ...publicName, allowLoopback: false }),
    ).rejects.toThrow(/https/);
    await expect(
      checkDestination('http://127.0.0.1:9/x', { allowLoopback: true }),
    ).resolves.toMatchObject({
      address: '127.0.0.1',
    });
    await expect(checkDestination('https://u:p@hooks.example.com/', publicName)).rejects.toThrow(
      /credentials/,
    );
    await expect(checkDestination('https://[::1]/x', { allowLoopback: false })).rejects.toThrow(
      /loopback/,
    );
  });
});
