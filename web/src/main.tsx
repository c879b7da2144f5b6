// Entry point: builds the API client once and mounts the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createHttpClient } from './api/http-client.js';
import { createLatchkeyApi } from './api/latchkey-api.js';
import { App } from './app.js';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <App api={createLatchkeyApi(createHttpClient())} />
  </StrictMode>,
);
