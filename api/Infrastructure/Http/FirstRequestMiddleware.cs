namespace OkrKpi.Api.Infrastructure.Http;

/// <summary>
/// Middleware whose construction is costly and not needed to answer liveness is built by the first request that
/// reaches it (and wants it), instead of with the pipeline before the server listens (make bench, B10).
/// </summary>
public static class FirstRequestMiddleware
{
    /// <summary>Adds the middleware <paramref name="use"/> adds, built on a branch on first use; requests <paramref name="when"/> rejects skip it.</summary>
    public static IApplicationBuilder UseBuiltOnFirstRequest(this IApplicationBuilder app, Action<IApplicationBuilder> use, Func<HttpContext, bool>? when = null) =>
        app.Use(next =>
        {
            var built = new Lazy<RequestDelegate>(() =>
            {
                var branch = app.New();
                use(branch);
                branch.Run(next);
                return branch.Build();
            });
            return when is null ? http => built.Value(http) : http => when(http) ? built.Value(http) : next(http);
        });
}
