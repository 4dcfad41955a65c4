export { startMetaGraphFake, type MetaGraphFake, type MetaGraphFakeOptions } from './graph-api-fake.ts';
export { buildWorldMetaPage, type WorldMetaLead, type WorldMetaPage } from './world-leads.ts';
export { renderMetaDeliveries, type MetaDelivery } from './render-webhooks.ts';
