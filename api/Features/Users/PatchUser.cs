using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OkrKpi.Api.Infrastructure.Http;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

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
        var user = await MergePatch.UpdateAsync(request, ifMatch, $"User '{userId}'",
            read: () => sender.Send(new GetUser.Query(userId), ct).AsTask(),
            version: current => current.Version,
            asBody: current => new UpdateUser.Body(current.DisplayName, current.Role, current.Disabled, current.TeamIds),
            update: (current, body) => sender.Send(new UpdateUser.Command(userId, current.Version, body.DisplayName, body.Role, body.Disabled, body.TeamIds), ct).AsTask(),
            json.Value.SerializerOptions, ct);
        ETags.Set(response, user.Version);
        return TypedResults.Ok(user);
    }
}
