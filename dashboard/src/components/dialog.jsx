// A modal dialog on the native <dialog> element (showModal): focus moves into
// it and is trapped there, Escape closes it, the page behind is inert, and
// focus returns to the control that opened it. `title` names it (aria-labelledby).
import { useId, useLayoutEffect, useRef } from 'preact/hooks';

/**
 * @param {{title: string, open: boolean, onClose: () => void, children: any, wide?: boolean}} props
 */
export function Dialog({ title, open, onClose, children, wide }) {
  const ref = useRef(null);
  const id = useId();
  // A layout effect: the dialog is shown in the same task that rendered it
  // (a plain effect waits for the next frame, so a click's dialog would
  // still be hidden right after the click).
  useLayoutEffect(() => {
    const d = ref.current;
    if (!open || !d) return undefined;
    const opener = document.activeElement;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      if (opener && opener.isConnected && typeof opener.focus === 'function') opener.focus();
    };
  }, [open]);
  if (!open) return null;
  return (
    <dialog
      ref={ref}
      class={wide ? 'dialog dialog-wide' : 'dialog'}
      aria-labelledby={`${id}-title`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div class="dialog-head">
        <h2 id={`${id}-title`}>{title}</h2>
        <button type="button" class="button-quiet" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </div>
      <div class="dialog-body">{children}</div>
    </dialog>
  );
}
