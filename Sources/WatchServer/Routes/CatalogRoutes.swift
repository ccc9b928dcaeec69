/// `/api/v1/providers` and `/api/v1/targets`: what is watched, as far as the caller may see.
enum CatalogRoutes {
    struct ProviderList: Encodable { var providers: [Catalog.ProviderEntry] }
    struct TargetList: Encodable { var targets: [Catalog.TargetEntry] }

    static func providers(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly([])
        let catalog = Catalog(configuration: context.configuration, readers: try context.stores.readers())
        return .json(ProviderList(providers: catalog.providers(visibleTo: context.caller.visibleProviders)))
    }

    static func targets(_ request: ServerRequest, _ context: RouteContext) throws(RouteFailure) -> ServerResponse {
        try request.allowOnly(["provider", "service"])
        let catalog = Catalog(configuration: context.configuration, readers: try context.stores.readers())
        let visible = try context.providerFilter(request, catalog: catalog)
        let service = request.query["service"]
        return .json(TargetList(targets: catalog.targets(visibleTo: visible).filter { service == nil || $0.service == service }))
    }
}
