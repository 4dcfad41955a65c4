export { renderGravityFormsDeliveries, type GravityFormsDelivery } from './render-entries.ts';
export { demoFieldMaps, appointmentFormId, contactFormId, appointmentFormFields, contactFormFields } from './demo-forms.ts';
