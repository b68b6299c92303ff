import {
  FieldNode,
  FragmentDefinitionNode,
  getNamedType,
  GraphQLError,
  isCompositeType,
  isInterfaceType,
  isObjectType,
  Kind,
  OperationDefinitionNode,
  SelectionSetNode,
  GraphQLCompositeType,
  GraphQLField,
  ValidationContext,
  ValidationRule,
} from 'graphql';

/** GraphQL validation errors for query limits; the formatter turns them into `validation_failed`. */
function limitError(message: string, reason: string, node: OperationDefinitionNode): GraphQLError {
  return new GraphQLError(message, { nodes: [node], extensions: { reason } });
}

/**
 * Rejects an operation whose fields nest deeper than `maxDepth` (`{ me { id } }` has depth 2).
 * Introspection fields (`__schema`, `__type`) are not counted: introspection is switched on or off as a whole.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node: OperationDefinitionNode) {
      const depth = selectionDepth(node.selectionSet, (name) => context.getFragment(name), new Set());
      if (depth > maxDepth) {
        context.reportError(
          limitError(`Query depth ${depth} exceeds the maximum of ${maxDepth}`, 'max_depth', node),
        );
      }
    },
  });
}

function selectionDepth(
  set: SelectionSetNode,
  fragment: (name: string) => FragmentDefinitionNode | null | undefined,
  seen: Set<string>,
): number {
  let max = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      if (sel.name.value.startsWith('__')) continue;
      const below = sel.selectionSet ? selectionDepth(sel.selectionSet, fragment, seen) : 0;
      max = Math.max(max, 1 + below);
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      max = Math.max(max, selectionDepth(sel.selectionSet, fragment, seen));
    } else {
      const name = sel.name.value;
      const def = fragment(name);
      if (!def || seen.has(name)) continue; // unknown or cyclic fragments are reported by graphql's own rules
      seen.add(name);
      max = Math.max(max, selectionDepth(def.selectionSet, fragment, seen));
      seen.delete(name);
    }
  }
  return max;
}

export interface ComplexityOptions {
  maxComplexity: number;
  /** Operation variables: a page size given as `$first` counts with its value. */
  variables?: Record<string, unknown>;
  /** Page size when a paginated field is asked without `first`. */
  defaultPageSize: number;
  /** Largest page the server returns (it clamps `first`), so no page counts for more. */
  maxPageSize: number;
}

/**
 * Estimated cost of an operation: every field costs 1, and the subtree of a field taking a `first`
 * argument counts once per item of the page (`leads(first: 50) { edges { node { id } } }` ≈ 1 + 50 × 3).
 * Run as a validation rule once variables are known (see the portal's query-limits plugin).
 */
export function complexityLimitRule(options: ComplexityOptions): ValidationRule {
  return (context: ValidationContext) => ({
    OperationDefinition(node: OperationDefinitionNode) {
      const root =
        node.operation === 'query'
          ? context.getSchema().getQueryType()
          : node.operation === 'mutation'
            ? context.getSchema().getMutationType()
            : context.getSchema().getSubscriptionType();
      if (!root) return;
      const cost = selectionCost(node.selectionSet, root, context, options, new Set());
      if (cost > options.maxComplexity) {
        context.reportError(
          limitError(`Query complexity ${cost} exceeds the maximum of ${options.maxComplexity}`, 'max_complexity', node),
        );
      }
    },
  });
}

function pageSize(field: FieldNode, def: GraphQLField<unknown, unknown>, o: ComplexityOptions): number {
  if (!def.args.some((a) => a.name === 'first')) return 1;
  const arg = field.arguments?.find((a) => a.name.value === 'first');
  let n: unknown = o.defaultPageSize;
  if (arg?.value.kind === Kind.INT) n = Number(arg.value.value);
  else if (arg?.value.kind === Kind.VARIABLE) n = o.variables?.[arg.value.name.value] ?? o.defaultPageSize;
  return typeof n === 'number' && Number.isFinite(n) ? Math.max(0, Math.min(Math.trunc(n), o.maxPageSize)) : o.defaultPageSize;
}

function selectionCost(
  set: SelectionSetNode,
  parent: GraphQLCompositeType,
  context: ValidationContext,
  o: ComplexityOptions,
  seen: Set<string>,
): number {
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.FIELD) {
      const fields = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields() : {};
      const def = fields[sel.name.value];
      if (!def) {
        total += 1; // __typename, introspection or an unknown field (reported elsewhere)
        continue;
      }
      const type = getNamedType(def.type);
      const children = sel.selectionSet && isCompositeType(type) ? selectionCost(sel.selectionSet, type, context, o, seen) : 0;
      total += 1 + pageSize(sel, def, o) * children;
    } else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const cond = sel.typeCondition ? context.getSchema().getType(sel.typeCondition.name.value) : parent;
      total += selectionCost(sel.selectionSet, cond && isCompositeType(cond) ? cond : parent, context, o, seen);
    } else {
      const name = sel.name.value;
      const def = context.getFragment(name);
      if (!def || seen.has(name)) continue;
      const cond = context.getSchema().getType(def.typeCondition.name.value);
      seen.add(name);
      total += selectionCost(def.selectionSet, cond && isCompositeType(cond) ? cond : parent, context, o, seen);
      seen.delete(name);
    }
  }
  return total;
}
