// Captures: upload a pcap, pcapng or gzip file (analysts); it is analysed into the store and the console refreshes.
// The other ways in (a watched folder, a live interface) are started with `lantern serve` and listed here.
import { useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, can, type Counters } from '../api';
import { useApi, useRefresh, useSession } from '../ui/hooks';
import { Card, Empty, Show } from '../ui/states';
import { PageTitle } from '../ui/Layout';
import { bytes, count } from '../ui/format';

interface UploadResult {
  path: string;
  frames: number;
  format: string;
  truncated: boolean;
}

/** The server's upload limit (src/server/routes-data.ts MAX_UPLOAD_BYTES). */
const MAX_UPLOAD = 512 * 1024 * 1024;

export function Captures() {
  const { user } = useSession();
  const file = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const counters = useApi<Counters>('/api/counters', useRefresh());

  const upload = (e: FormEvent) => {
    e.preventDefault();
    const f = file.current?.files?.[0];
    if (f === undefined) {
      setResult({ ok: false, text: 'Choose a capture file first.' });
      return;
    }
    if (f.size > MAX_UPLOAD) {
      setResult({ ok: false, text: `${f.name} is ${bytes(f.size)}: the upload limit is ${bytes(MAX_UPLOAD)}. Drop larger files in the watched folder instead.` });
      return;
    }
    setBusy(true);
    setResult(null);
    api<UploadResult>(`/api/captures?name=${encodeURIComponent(f.name)}`, { method: 'POST', raw: f }).then(
      (r) => {
        setBusy(false);
        setResult({ ok: true, text: `${f.name}: ${count(r.frames)} frames analysed (${r.format}${r.truncated ? ', truncated at the end' : ''}).` });
        if (file.current) file.current.value = '';
      },
      (err: Error) => {
        setBusy(false);
        setResult({ ok: false, text: err.message });
      },
    );
  };

  return (
    <>
      <PageTitle title="Captures" />
      <div className="grid">
        <Card title="Upload a capture">
          {can(user, 'analyst') ? (
            <form onSubmit={upload} className="stack">
              <label>
                Capture file (pcap, pcapng, gzip; up to {bytes(MAX_UPLOAD)})
                <input ref={file} type="file" name="capture" accept=".pcap,.pcapng,.cap,.gz,application/vnd.tcpdump.pcap" />
              </label>
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Analysing…' : 'Upload and analyse'}
              </button>
            </form>
          ) : (
            <p className="muted">Viewers cannot upload: ask an analyst or an admin.</p>
          )}
          <div role="status" aria-live="polite" className={result ? (result.ok ? 'notice ok' : 'state error') : undefined}>
            {result?.text}
            {result?.ok ? (
              <>
                {' '}
                See the <Link to="/assets">assets</Link> and the <Link to="/map">map</Link>.
              </>
            ) : null}
          </div>
        </Card>
        <Card title="Other ways in">
          <ul className="plain-list">
            <li>
              <strong>Watched folder:</strong> start with <code>lantern serve --watch DIR</code>; capture files dropped there are analysed as they appear.
            </li>
            <li>
              <strong>Live interface:</strong> start with <code>lantern serve --interface IFACE</code> (tcpdump reads the interface; needs capture rights).
            </li>
          </ul>
        </Card>
        <Card title="Analysed so far" className="wide">
          <Show state={counters} what="inputs">
            {(c) =>
              (c.summary?.inputs ?? []).length === 0 ? (
                <Empty>Nothing analysed yet.</Empty>
              ) : (
                <table className="plain">
                  <thead>
                    <tr>
                      <th>Input</th>
                      <th>Format</th>
                      <th className="num">Frames</th>
                      <th className="num">Size</th>
                    </tr>
                  </thead>
                  <tbody>
                    {(c.summary?.inputs ?? []).map((i, n) => {
                      const input = i as { name?: string; path?: string; format?: string; frames?: number; file_bytes?: number };
                      return (
                        <tr key={n}>
                          <td>{input.name ?? input.path}</td>
                          <td>{input.format ?? '—'}</td>
                          <td className="num">{count(input.frames ?? 0)}</td>
                          <td className="num">{bytes(input.file_bytes ?? 0)}</td>
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              )
            }
          </Show>
        </Card>
      </div>
    </>
  );
}
