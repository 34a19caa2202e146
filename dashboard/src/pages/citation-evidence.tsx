// A citation's evidence: the photo or video itself, shown through a signed link (an <img> cannot send the
// staff token), with the facts that prove it is the file the officer sent: type by its bytes, size, SHA-256.
import { useEffect, useState } from "preact/hooks";
import { api, messageOf, ok, type Schemas } from "../api/client";
import { size, when } from "../format";
import { Notice } from "../ui/kit";

type Item = Schemas["CitationEvidence"];

const EXTENSIONS: Record<string, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/heic": "heic",
  "video/mp4": "mp4",
  "video/quicktime": "mov",
};

/** A link that works for 5 minutes without a credential; fetched once per item shown. */
function useSignedUrl(citationId: string, evidenceId: string) {
  const [state, setState] = useState<{ url?: string; error?: unknown }>({});
  useEffect(() => {
    let live = true;
    ok(api.POST("/v1/citations/{id}/evidence/{evidenceId}/url", { params: { path: { id: citationId, evidenceId } } })).then(
      (r) => live && setState({ url: r.url }),
      (error) => live && setState({ error }),
    );
    return () => {
      live = false;
    };
  }, [citationId, evidenceId]);
  return state;
}

/** The authorised download (audited under the staff member's name, unlike the signed link), saved as a file. */
async function download(citationId: string, item: Item, filename: string) {
  const blob = await ok(
    api.GET("/v1/citations/{id}/evidence/{evidenceId}", {
      params: { path: { id: citationId, evidenceId: item.id } },
      parseAs: "blob",
    }),
  );
  const href = URL.createObjectURL(blob as Blob);
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(href), 60_000);
}

export function EvidenceItem({
  citationId,
  number,
  item,
  index,
}: {
  citationId: string;
  number: string;
  item: Item;
  index: number;
}) {
  const link = useSignedUrl(citationId, item.id);
  const [broken, setBroken] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const kind = item.type === "VIDEO" ? "Video" : "Photo";
  const name = `${kind} ${index + 1} of citation ${number}`;
  const filename = `${number}-${index + 1}.${EXTENSIONS[item.contentType ?? ""] ?? "bin"}`;

  return (
    <figure class="evidence" data-evidence={item.id}>
      <div class="evidence-view">
        {link.error ? (
          <p class="error">The file cannot be shown: {messageOf(link.error)}</p>
        ) : !link.url ? (
          <p class="muted">Loading…</p>
        ) : broken ? (
          <p class="muted">This browser cannot show {item.contentType ?? "this file"}; download it to view.</p>
        ) : item.type === "VIDEO" ? (
          // biome-ignore lint/a11y/useMediaCaption: evidence video from a handheld has no caption track to offer
          <video controls preload="metadata" src={link.url} aria-label={name} onError={() => setBroken(true)} />
        ) : (
          <img src={link.url} alt={name} onError={() => setBroken(true)} />
        )}
      </div>
      <figcaption>
        <dl class="facts">
          <dt>{kind}</dt>
          <dd>
            {item.contentType ?? "unknown type"}
            {item.declaredMimeType && item.declaredMimeType !== item.contentType && (
              <span class="muted"> (sent as {item.declaredMimeType})</span>
            )}
          </dd>
          <dt>Size</dt>
          <dd>{size(item.bytes)}</dd>
          <dt>SHA-256</dt>
          <dd>
            <code class="digest" data-testid="sha256">
              {item.sha256 ?? "—"}
            </code>
          </dd>
          <dt>Captured</dt>
          <dd>{when(item.capturedAt)}</dd>
        </dl>
        <button
          type="button"
          class="secondary"
          aria-label={`Download ${kind.toLowerCase()} ${index + 1} of citation ${number}`}
          onClick={() => {
            setFailure(null);
            download(citationId, item, filename).catch((err) => setFailure(messageOf(err)));
          }}
        >
          Download
        </button>
        {failure && <Notice tone="error">The download failed: {failure}</Notice>}
      </figcaption>
    </figure>
  );
}
