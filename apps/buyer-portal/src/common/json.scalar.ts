import { GraphQLScalarType, Kind, ObjectValueNode, ValueNode } from 'graphql';

function literal(ast: ValueNode, variables: Record<string, unknown> | null | undefined): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return ast.values.map((v) => literal(v, variables));
    case Kind.OBJECT:
      return objectLiteral(ast, variables);
    case Kind.VARIABLE:
      return variables ? variables[ast.name.value] : undefined;
    default:
      return undefined; // enums: not JSON
  }
}

function objectLiteral(ast: ObjectValueNode, variables: Record<string, unknown> | null | undefined) {
  const out: Record<string, unknown> = {};
  for (const f of ast.fields) out[f.name.value] = literal(f.value, variables);
  return out;
}

/** Any JSON value (object, array, string, number, boolean, null). */
export const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value.',
  serialize: (v) => v,
  parseValue: (v) => v,
  parseLiteral: literal,
});
