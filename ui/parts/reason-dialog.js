/**
 * A confirmation with a reason, for every operator action: the reason goes to the audit trail.
 * A native <dialog>: it takes the focus, Escape cancels, and the focus returns to the button
 * that opened it.
 */
import { html, useEffect, useRef, useState } from '../lib.js';
import { ErrorNote } from './common.js';

export function ReasonDialog({ title, description, confirmLabel, required = true, extra, onConfirm, onClose }) {
  const dialog = useRef(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(undefined);
  const [extraValue, setExtraValue] = useState(extra?.initial ?? '');
  useEffect(() => {
    const opener = document.activeElement;
    dialog.current?.showModal();
    return () => opener?.focus?.();
  }, []);
  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(reason.trim(), extraValue);
      dialog.current?.close();
      onClose();
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };
  return html`
    <dialog ref=${dialog} class="dialog" aria-labelledby="dialog-title" onCancel=${(event) => { event.preventDefault(); dialog.current?.close(); onClose(); }}>
      <form onSubmit=${submit}>
        <h2 id="dialog-title">${title}</h2>
        <p>${description}</p>
        ${extra ? html`
          <label for="dialog-extra">${extra.label}</label>
          <input id="dialog-extra" type=${extra.type} required value=${extraValue} onInput=${(event) => setExtraValue(event.currentTarget.value)} />` : null}
        <label for="dialog-reason">Reason${required ? '' : ' (optional)'} <span class="hint">recorded in the audit trail</span></label>
        <textarea id="dialog-reason" rows="3" maxlength="500" required=${required} value=${reason} onInput=${(event) => setReason(event.currentTarget.value)}></textarea>
        <${ErrorNote} error=${error} />
        <div class="actions">
          <button type="button" onClick=${() => { dialog.current?.close(); onClose(); }}>Cancel</button>
          <button type="submit" class="primary" disabled=${busy || (required && reason.trim() === '')}>${busy ? 'Working…' : confirmLabel}</button>
        </div>
      </form>
    </dialog>`;
}
