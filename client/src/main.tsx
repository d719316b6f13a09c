import './styles.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App, startApp } from '@/app/provider';

const app = startApp();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App {...app} />
  </StrictMode>,
);
