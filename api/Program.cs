using System.Text.Json;
using FluentValidation;
using Microsoft.AspNetCore.HttpLogging;
using OkrKpi.Api.Features.Events;
using OkrKpi.Api.Features.Kpis;
using OkrKpi.Api.Features.Measurements;
using OkrKpi.Api.Features.Notifications;
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
using OkrKpi.Api.Features.Alerts;
using OkrKpi.Api.Features.Audit;
using OkrKpi.Api.Features.Receivers;
using OkrKpi.Api.Features.ServiceAccounts;
using OkrKpi.Api.Features.Tokens;
using OkrKpi.Api.Features.Users;
using OkrKpi.Api.Features.Webhooks;

var builder = WebApplication.CreateBuilder(args);
// Responses do not say which server software answers.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);

builder.Services.AddDatabase(builder.Configuration);
builder.Services.AddSingleton<Dialect>();
builder.Services.AddSingleton<SqliteWriteQueue>();
builder.Services.AddSingleton<LocalWrites>();
builder.Services.AddSingleton<GetDashboard.Cache>();
builder.Services.AddSingleton<Migrator>();
// Before every other hosted service, which start once it is done (see DatabasePreparation).
builder.Services.AddHostedService<DatabasePreparation>();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(Organisation.From(builder.Configuration.GetSection("Organisation").Get<OrganisationOptions>() ?? new()));
builder.Services.Configure<IdempotencyOptions>(builder.Configuration.GetSection("Idempotency"));
builder.Services.AddScoped<IdempotentResponses>();
builder.Services.AddScoped<MeasurementWrites>();
builder.Services.AddScoped<EventWrites>();
builder.Services.AddScoped<StreamedImport>();
builder.Services.AddHostedService<IdempotencyCleanup>();
builder.Services.AddTransientFaultRetries();
builder.Services.AddMediator((Mediator.MediatorOptions options) =>
{
    options.ServiceLifetime = ServiceLifetime.Scoped;
    options.PipelineBehaviors = [typeof(LocalWritesBehavior<,>), typeof(ValidationBehavior<,>), typeof(TransientRetryBehavior<,>)];
});
// Validators hold no state and take no scoped services: one of each serves every request.
builder.Services.AddValidatorsFromAssemblyContaining<Program>(ServiceLifetime.Singleton, includeInternalTypes: true);
ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
builder.Services.ConfigureHttpJsonOptions(options => StrictJson.Configure(options.SerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.Services.Configure<RequestLimitsOptions>(builder.Configuration.GetSection("Limits"));
builder.Services.Configure<ImportOptions>(builder.Configuration.GetSection("Import"));
builder.Services.Configure<DemoOptions>(builder.Configuration.GetSection("Demo"));
builder.Services.AddProblemResponses();
builder.Services.AddAccessControl(builder.Configuration);
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthProbes.ReadyTag]);
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
builder.Services.AddNotifications(builder.Configuration);

var app = builder.Build();

// `make migrate` runs the migrations and stops, for deployments that migrate before starting instances.
if (app.Configuration.GetValue<bool>("MigrateOnly"))
{
    app.Services.GetRequiredService<Migrator>().Migrate();
    return;
}

app.UseHttpLogging();
app.UseExceptionHandler();
app.UseStatusCodePages(StatusCodeProblems.WriteAsync);
app.UseHealthProbes();
app.UseClientApp();
app.UseRouting();
app.UseMiddleware<RequestBodyLimits>();
// Before access control: the API description and Swagger UI are public unless OpenApi:Access says otherwise, so a
// person can open the UI and then authorize it with a token; every operation they try still needs credentials.
app.UseOpenApiDocument(app.Configuration);
app.UseAccessControl();
app.UseMiddleware<UnknownQueryParameters>();

app.MapSession();
app.MapUsers();
app.MapTokens();
app.MapServiceAccounts();
app.MapReceivers();
app.MapTeams();
app.MapKpis();
app.MapMeasurements();
app.MapEvents();
app.MapOkrs();
app.MapAudit();
app.MapWebhooks();
app.MapAlerts();

app.Run();
