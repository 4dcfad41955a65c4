import type { FieldMap } from '../src/settings.ts';

/**
 * The demo practices' two website forms, laid out as Gravity Forms numbers fields: an appointment request with a
 * two-part Name field and the agency's hidden-field contract, and an older contact form with a single name field and
 * fewer hidden fields. Their field maps are what an admin would enter.
 */
export const appointmentFormId = '3';
export const contactFormId = '7';

export const appointmentFormFields = {
  firstName: '1.3', lastName: '1.6', email: '2', phone: '3', message: '4', utmSource: '10', utmMedium: '11', utmCampaign: '12',
  utmTerm: '13', utmContent: '14', gclid: '15', landingPage: '16', referrer: '18', fbclid: '19',
} as const satisfies FieldMap;

export const contactFormFields = {
  fullName: '5', email: '6', phone: '7', message: '8', utmSource: '20', utmMedium: '21', utmCampaign: '22', gclid: '23', landingPage: '24',
} as const satisfies FieldMap;

export const demoFieldMaps: Record<string, FieldMap> = {
  [appointmentFormId]: appointmentFormFields,
  [contactFormId]: contactFormFields,
};
