/**
 * What Apollo Server accepts as its `gateway` (@apollo/server-gateway-interface, as @apollo/server names
 * it), and the one way this gateway layers on it: field rules (`fieldAuthorization.ts`), coalescing
 * (`operationCoalescing.ts`) and our plan execution (`planExecution/executor.ts`) each wrap the executor
 * of the gateway below them and leave everything else to it.
 */
import type { ApolloServerOptionsWithGateway, BaseContext } from '@apollo/server';

export type GatewayInterface = ApolloServerOptionsWithGateway<BaseContext>['gateway'];
export type GatewayExecutor = NonNullable<Awaited<ReturnType<GatewayInterface['load']>>['executor']>;
export type GatewayRequestContext = Parameters<GatewayExecutor>[0];
export type GatewayResult = Awaited<ReturnType<GatewayExecutor>>;

/** `gateway` with its executor, once loaded, replaced by `wrap(executor)`; everything else delegated. */
export function withExecutor(gateway: GatewayInterface, wrap: (executor: GatewayExecutor) => GatewayExecutor): GatewayInterface {
  return {
    onSchemaLoadOrUpdate: (callback) => gateway.onSchemaLoadOrUpdate(callback),
    stop: () => gateway.stop(),
    async load(loadOptions) {
      const { executor } = await gateway.load(loadOptions);
      return { executor: executor ? wrap(executor) : executor };
    },
  };
}
