using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;

namespace OkrKpi.Api.Features.Users;

/// <summary>
/// An admin changes some of a person's name, role, teams or disabled flag (JSON Merge Patch, If-Match); what the
/// patch leaves out stays. The result goes through the same rules as a full replacement (PUT).
/// </summary>
public static class PatchUser
{
    public static async Task<Ok<UserResponse>> Endpoint(Guid userId, HttpRequest request, [FromHeader(Name = "If-Match")] string? ifMatch,
        ISender sender, IOptions<JsonOptions> json, HttpResponse response, CancellationToken ct)
    {
        var expected = ETags.Required(ifMatch);
        var current = await sender.Send(new GetUser.Query(userId), ct) ?? throw new NotFoundException($"User '{userId}' was not found.");
        if (expected is { } version && version != current.Version)
            throw new PreconditionFailedException($"User '{userId}' has changed since you read it (now version {current.Version}).");

        var patch = await MergePatch.ReadAsync(request, ct);
        var body = MergePatch.Apply(new UpdateUser.Body(current.DisplayName, current.Role, current.Disabled, current.TeamIds), patch, json.Value.SerializerOptions);
        var user = await sender.Send(new UpdateUser.Command(userId, current.Version, body.DisplayName, body.Role, body.Disabled, body.TeamIds), ct);
        ETags.Set(response, user.Version);
        return TypedResults.Ok(user);
    }
}
