import Hummingbird
import SignetCore

/// The development identity provider's public endpoints (`--dev` only): its discovery
/// document and its JWK Set. Tokens are minted by `signet auth dev-token`, never over HTTP.
extension SignetServices {
    func addDevelopmentIdentityRoutes(to routes: AccessRoutes) {
        guard let provider = developmentIdentityProvider else { return }
        routes.open(.get, "\(DevelopmentIdentityProvider.path)/.well-known/openid-configuration") { _, _ in
            Response.json(provider.discoveryDocument)
        }
        routes.open(.get, "\(DevelopmentIdentityProvider.path)/jwks") { _, _ in
            Response.json(provider.jwksJSON)
        }
    }
}
