import {
  getNamedType,
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  isInterfaceType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';

/** Values to put in arguments: ids by the type they name, everything else a harmless literal. */
export interface ArgumentValues {
  /** The id to pass for an argument, knowing the root field it belongs to (`updateLocation(id:)` wants a Location). */
  idFor(argName: string, fieldName: string): string;
}

function literal(type: GraphQLInputType, argName: string, values: ArgumentValues, fieldName: string): string {
  if (type instanceof GraphQLNonNull) return literal(type.ofType, argName, values, fieldName);
  if (type instanceof GraphQLList) return `[${literal(type.ofType, argName, values, fieldName)}]`;
  if (type instanceof GraphQLEnumType) return type.getValues()[0]!.name;
  if (type instanceof GraphQLInputObjectType) {
    const fields = Object.values(type.getFields()).map((f) => `${f.name}: ${literal(f.type, f.name, values, fieldName)}`);
    return `{ ${fields.join(', ')} }`;
  }
  const scalar = type as GraphQLScalarType;
  switch (scalar.name) {
    case 'ID':
      return JSON.stringify(values.idFor(argName, fieldName));
    case 'Int':
    case 'Float':
      return '5';
    case 'Boolean':
      return 'false';
    case 'DateTime':
      return '"2030-01-01T00:00:00Z"';
    default:
      return JSON.stringify(argName.toLowerCase().includes('email') ? 'sweep@example.test' : 'sweep value 123456');
  }
}

function selection(type: GraphQLOutputType, depth: number): string {
  const named = getNamedType(type);
  if (!isObjectType(named) && !isInterfaceType(named)) return '';
  if (depth === 0) return '{ __typename }';
  const parts: string[] = ['__typename'];
  for (const field of Object.values(named.getFields())) {
    if (field.args.some((a) => a.type instanceof GraphQLNonNull)) continue;
    const inner = selection(field.type, depth - 1);
    if (isObjectType(getNamedType(field.type)) || isInterfaceType(getNamedType(field.type))) {
      if (inner) parts.push(`${field.name} ${inner}`);
    } else parts.push(field.name);
  }
  return `{ ${parts.join(' ')} }`;
}

/** One operation per root field, with every argument filled in and a selection two objects deep. */
export function operationsFor(schema: GraphQLSchema, root: 'query' | 'mutation', values: ArgumentValues): { field: string; document: string }[] {
  const type = root === 'query' ? schema.getQueryType() : schema.getMutationType();
  return Object.values((type as GraphQLObjectType).getFields()).map((field: GraphQLField<unknown, unknown>) => {
    const args = field.args.map((a) => `${a.name}: ${literal(a.type, a.name, values, field.name)}`);
    const argText = args.length ? `(${args.join(', ')})` : '';
    return { field: field.name, document: `${root} { ${field.name}${argText} ${selection(field.type, 3)} }` };
  });
}
