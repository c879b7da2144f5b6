// Copies text with the Clipboard API; where that is refused (plain HTTP, old browsers) it selects the text to copy by hand.
import { useState } from 'react';

interface CopyButtonProps {
  text: string;
  /** The element holding the text, selected when the clipboard cannot be written. */
  targetId: string;
  label: string;
}

function selectTarget(id: string): void {
  const target = document.getElementById(id);
  if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) {
    target.focus();
    target.select();
  } else if (target) {
    const range = document.createRange();
    range.selectNodeContents(target);
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
  }
}

export function CopyButton({ text, targetId, label }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');

  async function copy() {
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      selectTarget(targetId);
      setState('selected');
    }
  }

  return (
    <span className="copy">
      <button type="button" className="button" onClick={copy}>
        {label}
      </button>
      <span className="copy-status" role="status">
        {state === 'copied' ? 'Copied' : state === 'selected' ? 'Selected: press Ctrl+C (⌘C) to copy' : ''}
      </span>
    </span>
  );
}
