using System.Text.Json;
using System.Text.Json.Serialization;
using FluentValidation;
using Microsoft.AspNetCore.HttpLogging;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Okrs;
using OkrKpi.Api.Features.Teams;
using OkrKpi.Api.Infrastructure.Data;
using OkrKpi.Api.Infrastructure.Demo;
using OkrKpi.Api.Infrastructure.Errors;
using OkrKpi.Api.Infrastructure.Http;
using OkrKpi.Api.Infrastructure.Idempotency;
using OkrKpi.Api.Infrastructure.Import;
using OkrKpi.Api.Infrastructure.Mediator;
using OkrKpi.Api.Infrastructure.OpenApi;
using OkrKpi.Api.Infrastructure.Resilience;
using OkrKpi.Api.Infrastructure.Security;
using OkrKpi.Api.Features.Session;
using OkrKpi.Api.Features.Audit;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Features.Users;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDatabase(builder.Configuration);
builder.Services.AddSingleton<Dialect>();
builder.Services.AddSingleton<SqliteWriteGate>();
builder.Services.AddSingleton<GroupCommit>();
builder.Services.AddSingleton<LocalWrites>();
builder.Services.AddSingleton<GetDashboard.Cache>();
builder.Services.AddSingleton<Migrator>();
builder.Services.AddSingleton<DatabasePreparation>();
builder.Services.AddHostedService(services => services.GetRequiredService<DatabasePreparation>());
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(Organisation.From(builder.Configuration.GetSection("Organisation").Get<OrganisationOptions>() ?? new()));
builder.Services.Configure<IdempotencyOptions>(builder.Configuration.GetSection("Idempotency"));
builder.Services.AddScoped<IdempotentTransaction>();
builder.Services.AddScoped<StreamedImport>();
builder.Services.AddHostedService<IdempotencyCleanup>();
builder.Services.AddTransientFaultRetries();
builder.Services.AddMediator((Mediator.MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(LocalWritesBehavior<,>), typeof(ValidationBehavior<,>), typeof(TransientRetryBehavior<,>), typeof(WriteGateBehavior<,>)];
});
builder.Services.AddValidators();
ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
builder.Services.ConfigureHttpJsonOptions(options =>
{
    StrictJson.Configure(options.SerializerOptions);
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
});
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.Configure<RequestLimitsOptions>(builder.Configuration.GetSection("Limits"));
builder.Services.Configure<ImportOptions>(builder.Configuration.GetSection("Import"));
builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection("Demo"));
builder.Services.AddProblemResponses();
builder.Services.AddAccessControl(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);
builder.Services.AddHttpLogging(options =>
{
    // Method, path, status and duration only: bodies, headers and query strings can carry secrets.
    options.LoggingFields = HttpLoggingFields.RequestMethod | HttpLoggingFields.RequestPath
        | HttpLoggingFields.ResponseStatusCode | HttpLoggingFields.Duration;
    options.CombineLogs = true;
});
builder.Services.AddOpenApiDocument();
builder.Services.AddTransient<DemoSeeder>();
builder.Services.AddOkrs(builder.Configuration);

var app = builder.Build();

// `make migrate` runs the migrations and stops, for deployments that migrate before starting instances.
if (app.Configuration.GetValue<bool>("MigrateOnly"))
{
    app.Services.GetRequiredService<Migrator>().Migrate();
    return;
}

app.UseHttpLogging();
app.UseExceptionHandler();
app.UseStatusCodePages(UnreadableParameters.WriteAsync);
// Liveness answers before routing: it needs no endpoint, credentials, rate limit or database, and so a probe of a
// starting process waits neither for the database preparation nor for the route table (built once listening).
app.UseLiveness();
app.UseClientApp();
DatabasePreparation.WaitForIt(app);
app.UseRouting();
app.UseMiddleware<RequestBodyLimits>();
// Before access control: the API description and Swagger UI are public, so a person can open the UI and then
// authorize it with a token; every operation they try still needs credentials.
app.UseOpenApiDocument();
app.UseAccessControl();

app.MapHealthChecks("/health/ready", HealthEndpoints.Ready).AllowAnonymous();
app.MapSession();
app.MapUsers();
app.MapTokens();
app.MapTeams();
app.MapKpis();
app.MapMeasurements();
app.MapOkrs();
app.MapAudit();

app.BuildRouteTableOnceListening();
app.Run();
