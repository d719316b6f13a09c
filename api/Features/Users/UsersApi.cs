using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Security;

namespace OkrKpi.Api.Features.Users;

/// <summary>The route table of people: everyone signed in reads the directory, admins manage it, each person sets their own password.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users")
            .WithTags("Users")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        users.MapPost("/", CreateUser.Endpoint).WithName(nameof(CreateUser)).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status409Conflict).AcceptsJsonProblems();
        users.MapGet("/", ListUsers.Endpoint).WithName(nameof(ListUsers)).RequireAuthorization(Policies.DirectoryRead);
        users.MapGet("/{userId:guid}", GetUser.Endpoint).WithName(nameof(GetUser)).RequireAuthorization(Policies.DirectoryRead)
            .ProducesProblem(StatusCodes.Status404NotFound);
        users.MapPut("/{userId:guid}", UpdateUser.Endpoint).WithName(nameof(UpdateUser)).RequireAuthorization(Policies.Admin)
            .UpdatesWithIfMatch().AcceptsJsonProblems();
        users.MapPatch("/{userId:guid}", PatchUser.Endpoint).WithName(nameof(PatchUser)).RequireAuthorization(Policies.Admin).AcceptsMergePatch<UpdateUser.Body>();
        users.MapPut("/me/password", ChangeOwnPassword.Endpoint).WithName(nameof(ChangeOwnPassword)).RequireAuthorization(Policies.Person)
            .ProducesProblem(StatusCodes.Status429TooManyRequests).AcceptsJsonProblems();
        users.MapPut("/{userId:guid}/password", SetUserPassword.Endpoint).WithName(nameof(SetUserPassword)).RequireAuthorization(Policies.Admin)
            .ProducesProblem(StatusCodes.Status404NotFound).AcceptsJsonProblems();
        return users;
    }
}
