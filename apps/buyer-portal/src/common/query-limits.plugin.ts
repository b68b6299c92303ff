import { ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { GraphQLError, validate } from 'graphql';
import { complexityLimitRule, ComplexityOptions } from './query-limits.util';

/**
 * Runs the complexity rule once Apollo has parsed and validated the operation, because only then are
 * the variables (e.g. `$first`) known. A rejection is a 400 `validation_failed` like any invalid query.
 */
export function queryComplexityPlugin(options: Omit<ComplexityOptions, 'variables'>): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, schema }) {
          const [error] = validate(schema, document, [complexityLimitRule({ ...options, variables: request.variables ?? {} })]);
          if (error) {
            throw new GraphQLError(error.message, {
              nodes: error.nodes,
              extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'max_complexity', http: { status: 400, headers: new HeaderMap() } },
            });
          }
        },
      };
    },
  };
}
