// Boots the React shell and the automation hooks the `lab` CLI and the e2e tests drive.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/shell/App.tsx';
import { installAutomation } from './automation.ts';
import './ui/styles.css';

installAutomation();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
