import { useState } from "react";

/** A form's "Saved." notice, held by the page: what a form that shows it receives. */
export interface SavedNotice {
  saved: boolean;
  setSaved(saved: boolean): void;
}

/**
 * The "Saved." notices of a page's settings forms. Each form is keyed by the values it shows, so that it is rebuilt
 * with the stored values once the page's data is loaded again — after its own save, too — and a notice kept in the
 * form would vanish with it as soon as the save's revalidation landed. The page keeps them instead: one form's at a
 * time.
 */
export function useSavedNotices<Form extends string>(): { of(form: Form): SavedNotice } {
  const [savedForm, setSavedForm] = useState<Form | null>(null);
  return {
    of: (form) => ({
      saved: savedForm === form,
      setSaved: (saved) => setSavedForm((current) => (saved ? form : current === form ? null : current)),
    }),
  };
}
