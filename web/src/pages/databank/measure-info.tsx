// The "i" of a measure: its plain documentation in a modal dialog, with a link to the full page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, name, type Lang, type MeasureDoc } from '../../api';
import { formatDate, tr } from '../../i18n';

export function MeasureInfoDialog({ id, lang, onClose }: { id: string; lang: Lang; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [doc, setDoc] = useState<MeasureDoc | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    api.measure(id).then(setDoc, (e: Error) => setError(e.message));
  }, [id]);

  return (
    <dialog ref={dialog} class="measure-info" aria-labelledby="measure-info-title" onClose={onClose}>
      <div class="measure-info__head">
        <h2 id="measure-info-title">{doc ? name(doc.name, lang) : tr({ da: 'Om målingen', en: 'About the measure' }, lang)}</h2>
        <button type="button" class="btn" onClick={() => dialog.current?.close()} aria-label={tr({ da: 'Luk', en: 'Close' }, lang)}>
          ×
        </button>
      </div>
      {error && <p class="message error">{error}</p>}
      {!doc && !error && <p class="loading">{tr({ da: 'Henter …', en: 'Loading …' }, lang)}</p>}
      {doc && (
        <>
          <p>{name(doc.doc, lang)}</p>
          <dl class="facts small">
            <dt>{tr({ da: 'Enhed', en: 'Unit' }, lang)}</dt>
            <dd>{doc.unit}</dd>
            <dt>{tr({ da: 'Opdateres', en: 'Updated' }, lang)}</dt>
            <dd>{doc.frequency === 'monthly' ? tr({ da: 'månedligt', en: 'monthly' }, lang) : doc.frequency}</dd>
            {doc.latest_update && (
              <>
                <dt>{tr({ da: 'Seneste tal', en: 'Latest numbers' }, lang)}</dt>
                <dd>
                  {doc.latest_update.release}, {tr({ da: 'til og med', en: 'up to' }, lang)} {formatDate(doc.latest_update.cut_off_day, lang)}
                </dd>
              </>
            )}
          </dl>
          <p>
            <a href={`/measures/${encodeURIComponent(id)}`} onClick={() => dialog.current?.close()}>
              {tr({ da: 'Læs hele dokumentationen (også den tekniske)', en: 'Read the full documentation (technical too)' }, lang)}
            </a>
          </p>
        </>
      )}
    </dialog>
  );
}
