import { render } from 'preact';
import { App } from './app';
import { loadConfig } from './config';

const root = document.getElementById('app')!;
loadConfig(`${import.meta.env.BASE_URL}config.json`).then(
  (config) => render(<App config={config} />, root),
  (error: unknown) => {
    root.textContent = `The console cannot start: ${error instanceof Error ? error.message : String(error)}`;
  },
);
