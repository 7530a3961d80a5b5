import { describe, expect, it } from 'vitest';
import { linkCancellation } from '../../subgraphs/kit/systemHttp.js';

describe('linkCancellation (a system call follows its policy cancellation)', () => {
  it('aborts every linked attempt when the signal aborts, and not the ones unlinked before', () => {
    const cancel = new AbortController();
    const first = new AbortController();
    const second = new AbortController();
    const finished = new AbortController();
    linkCancellation(cancel.signal, first);
    linkCancellation(cancel.signal, second);
    const unlink = linkCancellation(cancel.signal, finished);
    unlink();
    cancel.abort(new Error('cancelled by the policy'));
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.reason).toEqual(new Error('cancelled by the policy'));
    expect(finished.signal.aborted).toBe(false);
  });

  it('aborts at once when the signal is already aborted', () => {
    const cancel = new AbortController();
    cancel.abort();
    const attempt = new AbortController();
    linkCancellation(cancel.signal, attempt);
    expect(attempt.signal.aborted).toBe(true);
  });

  it('adds one listener per signal however many attempts share it', () => {
    const cancel = new AbortController();
    let added = 0;
    const original = cancel.signal.addEventListener.bind(cancel.signal);
    cancel.signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      added++;
      original(...args);
    }) as AbortSignal['addEventListener'];
    const unlinks = Array.from({ length: 50 }, () => linkCancellation(cancel.signal, new AbortController()));
    for (const unlink of unlinks) unlink();
    linkCancellation(cancel.signal, new AbortController());
    expect(added).toBe(1);
  });
});
