import { createContext } from 'react';

/**
 * False while the customer 360 renders hidden behind its loader (its parts asking for their data):
 * a part offers its actions only once the page shows, so nothing (a test, assistive technology)
 * finds a button that cannot be used yet.
 */
export const PageShown = createContext(true);
