const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every row id is a UUID; a value that is not one is checked here, before it reaches a query's cast. */
export const isUuid = (value: string): boolean => UUID.test(value);
