using System.Net;
using System.Text.Json.Nodes;
using OkrKpi.Api.Testing;

namespace OkrKpi.Api.IntegrationTests.Infrastructure;

/// <summary>A query parameter an endpoint does not read is a 400 naming it, on every operation; the documented ones are all read.</summary>
public sealed class UnknownQueryParametersTests : IntegrationTest
{
    [Test]
    public async Task A_misspelt_filter_is_refused_naming_it_instead_of_answering_the_whole_list()
    {
        var response = await Api.GetAsync("/api/v1/objectives?kpiKye=net-promoter-score");

        var errors = await FieldErrorsAsync(response, "kpiKye");
        Assert.That(errors.Single(), Does.Contain("Unknown query parameter").And.Contain("kpiKey"));
    }

    [Test]
    public async Task Names_every_unknown_parameter_and_reads_known_ones_in_any_case()
    {
        var unknown = await Api.GetAsync("/api/v1/kpis?stat=active&tagz=quality&LIMIT=5");
        var known = await Api.GetAsync("/api/v1/kpis?Status=active&LIMIT=5");

        var problem = await ProblemAsync(unknown, HttpStatusCode.BadRequest);
        Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EquivalentTo(new[] { "stat", "tagz" }));
        Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Every_operation_reads_the_query_parameters_it_documents_and_refuses_others()
    {
        var document = ContractCheckingHandler.Contract.Value.Document;
        var checkedOperations = 0;
        using var browser = new Browser();
        await browser.GivenSessionAsync(Callers.AdminId);

        foreach (var (template, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            var parameters = operation!["parameters"]?.AsArray() ?? [];
            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", _ => Guid.NewGuid().ToString());
            var documented = parameters.Where(p => p!["in"]!.GetValue<string>() == "query").Select(p => p!["name"]!.GetValue<string>()).ToList();
            var query = string.Join("&", documented.Select(name => $"{name}=").Append("notAParameter=1"));
            using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), $"{path}?{query}");
            if (operation["requestBody"]?["content"]?.AsObject().First().Key is { } mediaType)
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, mediaType);

            // Operations for people only (tokens, one's password) are called as the signed-in admin.
            var person = operation["security"]?.AsArray().All(r => !r!.AsObject().ContainsKey("bearer")) == true && operation["security"]!.AsArray().Count > 0;
            if (person && browser.Cookie("XSRF-TOKEN") is { } xsrf) request.Headers.Add("X-XSRF-TOKEN", xsrf);
            var response = await (person ? browser.Client : Api).SendAsync(request);

            var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
            Assert.That(problem["errors"]!.AsObject().Select(e => e.Key), Is.EqualTo(new[] { "notAParameter" }), $"{method.ToUpperInvariant()} {template}");
            checkedOperations++;
        }
        Assert.That(checkedOperations, Is.GreaterThanOrEqualTo(68));
    }
}
