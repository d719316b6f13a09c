using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Tokens;

/// <summary>
/// The route table of API tokens. Every route needs a person (session or OIDC), not a token: a leaked token must not
/// be able to mint or keep alive others.
/// </summary>
public static class TokensApi
{
    public static RouteGroupBuilder MapTokens(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/api/v1/tokens")
            .WithTags("Tokens")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        tokens.MapPost("/", CreateToken.Endpoint).WithName(nameof(CreateToken)).RequireAuthorization(Policies.Person).AcceptsJsonProblems();
        tokens.MapGet("/", ListTokens.Endpoint).WithName(nameof(ListTokens)).RequireAuthorization(Policies.Person);
        tokens.MapGet("/{tokenId:guid}", GetToken.Endpoint).WithName(nameof(GetToken)).RequireAuthorization(Policies.Person);
        tokens.MapDelete("/{tokenId:guid}", RevokeToken.Endpoint).WithName(nameof(RevokeToken)).RequireAuthorization(Policies.Person)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status412PreconditionFailed);
        tokens.MapPost("/{tokenId:guid}/rotate", RotateToken.Endpoint).WithName(nameof(RotateToken)).RequireAuthorization(Policies.Person)
            .UpdatesWithIfMatch();
        return tokens;
    }
}
