/**
 * A request whose `operationName` picks no operation of its document (an unknown name, a name that is
 * not that of the only operation, or no name for a document with several) is the client's mistake: 400
 * OPERATION_RESOLUTION_FAILURE, Apollo's code for it. Apollo Server leaves it to execution, which for a
 * gateway means our plugins and @apollo/gateway meet a request without an operation and fail with a 500
 * (issue 11). The client's name is not echoed: it may be anything, of any length.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { GraphQLError, Kind } from 'graphql';
import { ErrorCode } from '../platform/errorCodes.js';

export const OPERATION_RESOLUTION_FAILURE = ErrorCode.OPERATION_RESOLUTION_FAILURE;

export function operationResolutionPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        // Not `async`, on purpose: the error is thrown while Apollo Server calls the plugins' hooks in
        // turn, so (this plugin being the first) no other plugin's hook sees a request without an operation.
        didResolveOperation({ operation, document, request }) {
          if (operation) return Promise.resolve();
          const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION).length;
          const message = request.operationName
            ? 'The document has no operation of the name given in operationName'
            : operations > 1
              ? 'The document has several operations: name the one to run in operationName'
              : 'The document has no operation to run';
          throw new GraphQLError(message, { extensions: { code: OPERATION_RESOLUTION_FAILURE, http: { status: 400 } } });
        },
      };
    },
  };
}
