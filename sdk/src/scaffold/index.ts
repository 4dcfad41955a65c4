export { scaffoldConnector, type ScaffoldOptions } from './scaffold-connector.ts';
