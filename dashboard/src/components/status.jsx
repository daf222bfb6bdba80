// The page's status region: short messages after an action ("Key rotated"),
// announced by screen readers (role=status, aria-live=polite) and shown as a
// toast for a few seconds. Any component calls useStatus().say(text).
import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';

const StatusContext = createContext({ say: () => {} });

/** How long a message stays on screen, in ms. */
const SHOW_MS = 5000;

export function StatusProvider({ children }) {
  const [message, setMessage] = useState(null);
  const timer = useRef(null);
  const say = useCallback((text) => {
    clearTimeout(timer.current);
    // A new object each time, so the same text twice is announced twice.
    setMessage({ text });
    timer.current = setTimeout(() => setMessage(null), SHOW_MS);
  }, []);
  useEffect(() => () => clearTimeout(timer.current), []);
  const value = useRef({ say }).current;
  return (
    <StatusContext.Provider value={value}>
      {children}
      <div class="toast-region" role="status" aria-live="polite" aria-atomic="true">
        {message && <p class="toast">{message.text}</p>}
      </div>
    </StatusContext.Provider>
  );
}

/** @returns {{say: (text: string) => void}} */
export const useStatus = () => useContext(StatusContext);
