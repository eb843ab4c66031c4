// Saving text or bytes as a file from the page: a Blob behind a temporary object URL and an <a download>, with
// the URL revoked once the browser has taken the click. Nothing is uploaded anywhere.

export function downloadFile(fileName: string, data: string | Uint8Array, mimeType: string): void {
  const part = typeof data === 'string' ? data : (data as Uint8Array<ArrayBuffer>);
  const url = URL.createObjectURL(new Blob([part], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoking in the same task can cancel the download in some browsers; the next task is late enough.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file-name-safe stamp of now ('2026-11-25T14-05-09'). */
export function fileStamp(now = new Date()): string {
  return now.toISOString().slice(0, 19).replace(/:/g, '-');
}
