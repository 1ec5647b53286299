import type { PropsWithChildren } from 'react';
import './app.scss';

/** Login is lazy (the API client logs in on the first call), so a card opened in single-page mode never tries it. */
function App({ children }: PropsWithChildren) {
  return children;
}

export default App;
