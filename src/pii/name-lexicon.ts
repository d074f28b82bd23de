import { lazy } from '../lazy';
import { loadLexicon } from './lexicon-sources';

/** The word lists the PERSON_NAME detector looks tokens up in (lexicon-sources.ts says whose). */
const lexicon = lazy(loadLexicon);

export const isGivenName = (w: string): boolean => lexicon().givenNames.has(w.toLowerCase());
export const isKnownName = (w: string): boolean => lexicon().knownNames.has(w);
export const isCommonWord = (w: string): boolean => lexicon().commonWords.has(w);
/** A place or organisation word that is not also a given name ("Madrid" yes, "Charlotte" no). */
export const isPlaceWord = (w: string): boolean => lexicon().placeWords.has(w) && !isGivenName(w);

/**
 * A common word that may still be a name part: compromise lists it as a name ("Smith", "Grace")
 * or not at all ("Doe"), rather than as a noun, verb or adjective ("Baker", "Model", "Civic" is not listed).
 */
export const mayBeNamePart = (w: string): boolean =>
  !lexicon().lexiconWords.has(w) || lexicon().lexiconNames.has(w);

/** compromise lists it as a person's name ("Bob", "Lee", "Smith"). */
export const isLexiconName = (w: string): boolean => lexicon().lexiconNames.has(w);

/** compromise lists it as an organisation or brand ("Honda", "Samsung", "Dupont"). */
export const isOrganizationWord = (w: string): boolean => lexicon().organizationWords.has(w);

/** compromise lists it as a job, role or verb ("Manager", "Engineer"): after "Sr." a title, not a surname. */
export const isJobWord = (w: string): boolean => lexicon().jobWords.has(w);
