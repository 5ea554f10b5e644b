using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LoanRecovery.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LoanRecovery.ServiceDefaults.Tests;

public enum ProbeChannel { Phone, Letter }

public sealed record ProbeLine(int? Quantity, string? Label);

public sealed record ProbeRequest(decimal? Amount, int? Count, DateOnly? On, DateTimeOffset? At, ProbeChannel? Channel, string? Name, bool Urgent,
    Guid? Reference, ProbeLine? Line, List<ProbeLine>? Lines, Dictionary<string, decimal>? Weights);

/// <summary>A service on ServiceDefaults alone (no database, no bus), in-process, with endpoints of every kind of input.</summary>
public sealed class ProbeService : IAsyncLifetime
{
    public const long MaxBodyBytes = 2048;
    public const long DeclaredLimit = 4096;
    public const string ValidBody = """{"amount":12.5,"count":3,"on":"2026-05-01","channel":"Phone","name":"n","urgent":false}""";

    private WebApplication _app = null!;
    public CapturedLogs Logs { get; } = new();
    public HttpClient Http { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = typeof(ProbeService).Assembly.GetName().Name });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Service:Name"] = "Probe",
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
            ["Http:MaxRequestBodyBytes"] = MaxBodyBytes.ToString(),
        });
        builder.AddServiceDefaults();
        builder.Services.AddSingleton<ILoggerProvider>(Logs);
        _app = builder.Build();
        _app.MapServiceDefaults();
        _app.MapPost("/probe", (ProbeRequest request) => TypedResults.Ok(request));
        _app.MapGet("/probe", (int? page, DateOnly? from) => TypedResults.Ok(new { page, from }));
        _app.MapPost("/probe/raw", async (HttpRequest request) => TypedResults.Ok((await new StreamReader(request.Body).ReadToEndAsync()).Length));
        _app.MapPost("/probe/declared", async (HttpRequest request) => TypedResults.Ok((await new StreamReader(request.Body).ReadToEndAsync()).Length))
            .Accepts<string>("text/csv")
            .WithMetadata(new RequestSizeLimitAttribute(DeclaredLimit));
        _app.MapGet("/probe/fail", IResult () => throw new InvalidOperationException("a defect, not a bad request"));
        await _app.StartAsync();
        Http = _app.GetTestClient();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.DisposeAsync();
    }
}

/// <summary>
/// Every service's endpoints answer a request they cannot read with a problem naming the field and why, in the shape of
/// their own validation problems (ServiceDefaults), and bound request bodies in size.
/// </summary>
public sealed class Unreadable_requests(ProbeService service) : IClassFixture<ProbeService>
{
    private Task<HttpResponseMessage> PostAsync(string body, string path = "/probe") =>
        service.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));

    [Theory]
    [InlineData("""{"amount":true}""", "amount", "must be a number")]
    [InlineData("""{"amount":[1]}""", "amount", "must be a number")]
    [InlineData("""{"amount":1e999}""", "amount", "must be a number from -79228162514264337593543950335 to 79228162514264337593543950335")]
    [InlineData("""{"amount":"twelve"}""", "amount", "must be a number from -79228162514264337593543950335 to 79228162514264337593543950335")]
    [InlineData("""{"count":3.5}""", "count", "must be a whole number from -2147483648 to 2147483647")]
    [InlineData("""{"count":99999999999}""", "count", "must be a whole number from -2147483648 to 2147483647")]
    [InlineData("""{"on":"yesterday"}""", "on", "must be a date (yyyy-MM-dd)")]
    [InlineData("""{"on":20260501}""", "on", "must be a date (yyyy-MM-dd)")]
    [InlineData("""{"at":"soon"}""", "at", "must be a date and time (ISO 8601, e.g. 2026-05-01T09:30:00Z)")]
    [InlineData("""{"channel":"Fax"}""", "channel", "must be one of: Phone, Letter")]
    [InlineData("""{"channel":1}""", "channel", "must be one of: Phone, Letter")]
    [InlineData("""{"channel":"1"}""", "channel", "must be one of: Phone, Letter")]
    [InlineData("""{"name":5}""", "name", "must be a string")]
    [InlineData("""{"name":{"first":"a"}}""", "name", "must be a string")]
    [InlineData("""{"urgent":"yes"}""", "urgent", "must be true or false")]
    [InlineData("""{"urgent":null}""", "urgent", "must be true or false")]
    [InlineData("""{"reference":"R-17"}""", "reference", "must be a GUID (e.g. 0f8fad5b-d9cb-469f-a165-70867728950e)")]
    [InlineData("""{"line":[]}""", "line", "must be a JSON object")]
    [InlineData("""{"line":{"quantity":"many"}}""", "line.quantity", "must be a whole number from -2147483648 to 2147483647")]
    [InlineData("""{"lines":[{"label":"a"},{"label":7}]}""", "lines[1].label", "must be a string")]
    [InlineData("""{"lines":{}}""", "lines", "must be a JSON array")]
    [InlineData("""{"weights":{"north":false}}""", "weights.north", "must be a number")]
    [InlineData("""{"AMOUNT":false}""", "amount", "must be a number")]
    [InlineData("""{"name":"ok","amount":{}}""", "amount", "must be a number")]
    public async Task A_value_of_the_wrong_kind_is_refused_naming_the_api_field_and_what_it_must_be(string body, string field, string reason)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("The request body is not valid", problem.GetProperty("title").GetString());
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        var errors = problem.GetProperty("errors");
        Assert.Equal([field], errors.EnumerateObject().Select(e => e.Name));
        Assert.Equal([reason], errors.GetProperty(field).EnumerateArray().Select(r => r.GetString()));
        Assert.Equal($"{field} {reason}", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("{\"amount\": 12,\n \"name\": x}", "is not valid JSON at line 2, position 10 (in name): 'x' is an invalid start of a value.")]
    [InlineData("""{"amount":12""", "is not valid JSON at line 1, position 13 (in amount): '2' is an invalid end of a number. Expected a delimiter.")]
    [InlineData("""{"amount":""", "is not valid JSON at line 1, position 11 (in amount): Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    [InlineData("""{'amount':12}""", "is not valid JSON at line 1, position 2: ''' is an invalid start of a property name. Expected a '\"'.")]
    [InlineData("""{"amount":12,}""", "is not valid JSON at line 1, position 14: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    [InlineData("""{"amount":12} and more""", "is not valid JSON at line 1, position 15: 'a' is invalid after a single JSON value. Expected end of data.")]
    public async Task Text_that_is_not_JSON_is_refused_saying_where_reading_stopped_and_why(string body, string reason)
    {
        var response = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal([reason], await ProblemAssert.ReasonsAsync(response, "body"));
    }

    [Fact]
    public async Task Invalid_UTF8_in_a_string_is_named_by_its_field()
    {
        var content = new ByteArrayContent([.. "{\"name\":\""u8, 0xff, 0xfe, .. "\"}"u8]);
        content.Headers.ContentType = new("application/json");

        var response = await service.Http.PostAsync("/probe", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["is not valid UTF-8 text"], await ProblemAssert.ReasonsAsync(response, "name"));
    }

    [Fact]
    public async Task Requests_wrong_as_a_whole_get_their_own_specific_problem()
    {
        var requests = new MalformedJson(ProbeService.ValidBody, []).WholeRequest(ProbeService.MaxBodyBytes).ToList();

        foreach (var request in requests)
            await ProblemAssert.RefusedAsync(await service.Http.PostAsync("/probe", request.Content()), request);

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(ProbeService.ValidBody)).StatusCode);
    }

    [Fact]
    public async Task A_body_without_a_content_type_is_refused_saying_what_to_send()
    {
        var response = await service.Http.PostAsync("/probe", new ByteArrayContent(Encoding.UTF8.GetBytes(ProbeService.ValidBody)));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(["is missing; the body must be sent as application/json"], await ProblemAssert.ReasonsAsync(response, "Content-Type"));
    }

    [Fact]
    public async Task A_query_parameter_that_does_not_parse_is_named_with_the_value_it_had()
    {
        var response = await service.Http.GetAsync("/probe?page=second&from=2026-05-01");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["must be a whole number from -2147483648 to 2147483647 (was 'second')"], await ProblemAssert.ReasonsAsync(response, "page"));
        Assert.Equal(HttpStatusCode.OK, (await service.Http.GetAsync("/probe?page=2&from=2026-05-01")).StatusCode);
    }

    [Fact]
    public async Task A_body_read_by_the_endpoint_itself_is_bounded_too_chunked_or_not()
    {
        var small = new MalformedRequest("small", new byte[100], "text/plain", 200, null, "");
        var large = new MalformedRequest("large", new byte[ProbeService.MaxBodyBytes + 1], "text/plain", 413, "body",
            $"is larger than the {ProbeService.MaxBodyBytes} bytes this endpoint accepts");

        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostAsync("/probe/raw", small.Content())).StatusCode);
        await ProblemAssert.RefusedAsync(await service.Http.PostAsync("/probe/raw", large.Content()), large);
        await ProblemAssert.RefusedAsync(await service.Http.PostAsync("/probe/raw", (large with { Chunked = true }).Content()), large);
    }

    [Fact]
    public async Task An_endpoint_that_declares_its_own_limit_gets_that_limit_and_its_content_types_in_the_415()
    {
        var within = new StringContent(new string('x', (int)ProbeService.DeclaredLimit - 10), Encoding.UTF8, "text/csv");
        var over = new MalformedRequest("over the declared limit", new byte[ProbeService.DeclaredLimit + 1], "text/csv", 413, "body",
            $"is larger than the {ProbeService.DeclaredLimit} bytes this endpoint accepts");
        var json = new MalformedRequest("JSON to a CSV endpoint", "{}"u8.ToArray(), "application/json", 415, "Content-Type",
            "must be text/csv (was 'application/json')");

        Assert.Equal(HttpStatusCode.OK, (await service.Http.PostAsync("/probe/declared", within)).StatusCode);
        await ProblemAssert.RefusedAsync(await service.Http.PostAsync("/probe/declared", over.Content()), over);
        await ProblemAssert.RefusedAsync(await service.Http.PostAsync("/probe/declared", json.Content()), json);
    }

    [Fact]
    public async Task An_address_no_endpoint_has_and_a_method_not_allowed_are_said_in_words()
    {
        var missing = await service.Http.PostAsync("/probe/nothing-here", new StringContent("{}", Encoding.UTF8, "application/json"));
        var method = await service.Http.DeleteAsync("/probe");

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.StartsWith("No endpoint has the address POST /probe/nothing-here",
            (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, method.StatusCode);
        Assert.Equal("DELETE is not allowed at this address; it allows GET, POST.",
            (await method.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_defect_is_still_a_500_and_not_passed_off_as_a_bad_request()
    {
        var response = await service.Http.GetAsync("/probe/fail");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task A_refused_request_is_logged_with_its_field_and_reason_but_not_the_value_sent_and_not_as_an_error()
    {
        const string secret = "7701-SECRET-INCOME";
        var response = await PostAsync($$"""{"count":"{{secret}}","name":"n"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var entries = service.Logs.Entries.ToList();
        Assert.Contains(entries, e => e.Message.Contains("count: must be a whole number", StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Text.Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(entries, e => e.Level >= LogLevel.Error && e.Text.Contains("BadHttpRequestException", StringComparison.Ordinal));
    }
}
