using System.Net;
using System.Text;
using System.Text.Json;
using MediaGen.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MediaGen.Cli.Tests;

/// <summary>The console over any set of emulators: a vendor it has never heard of gets its list, ledger and switches.</summary>
public class ConsoleEndpointsTests
{
    [Fact]
    public async Task State_HostWithAnUnknownEmulator_ListsItAndItsSwitchesFaultIt()
    {
        var console = new ConsoleEndpoints();
        await using EmulatorHost host = await EmulatorHost.StartAsync([new PingEmulator("Replicant")], new EmulatorHostOptions { MapEndpoints = console.Map });
        var faults = new FaultSwitches(host);
        console.Attach(host, faults);
        using HttpClient http = host.CreateClient();

        using (var on = await http.PostAsync("_console/api/faults", new StringContent("{\"vendor\":\"replicant\",\"kind\":\"outage\",\"count\":1}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, on.StatusCode);
        }

        using HttpResponseMessage first = await http.PostAsync("v1/predictions", new StringContent("{}"));
        using HttpResponseMessage second = await http.PostAsync("v1/predictions", new StringContent("{}"));
        using JsonDocument state = JsonDocument.Parse(await http.GetStringAsync("_console/api/state"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        JsonElement vendor = Assert.Single(state.RootElement.GetProperty("vendors").EnumerateArray());
        Assert.Equal("Replicant", vendor.GetProperty("name").GetString());
        Assert.Equal(2, vendor.GetProperty("requests").GetInt32());
        JsonElement charge = Assert.Single(vendor.GetProperty("ledger").EnumerateArray());
        Assert.Equal("USD", charge.GetProperty("unit").GetString());
        var listed = state.RootElement.GetProperty("requests").EnumerateArray().ToList();
        Assert.Equal([201, 503], listed.Select(r => r.GetProperty("status").GetInt32()));
        Assert.Equal("outage", listed[1].GetProperty("fault").GetString());
        Assert.Empty(state.RootElement.GetProperty("faults").GetProperty("active").EnumerateArray());
    }

    [Fact]
    public async Task Page_Root_ServesTheEmbeddedConsoleWithoutRecordingItself()
    {
        var console = new ConsoleEndpoints();
        await using EmulatorHost host = await EmulatorHost.StartAsync([new PingEmulator("Replicant")], new EmulatorHostOptions { MapEndpoints = console.Map });
        console.Attach(host, new FaultSwitches(host));
        using HttpClient http = host.CreateClient();

        using HttpResponseMessage page = await http.GetAsync("/");
        using HttpResponseMessage script = await http.GetAsync("_console/console.js");
        using HttpResponseMessage style = await http.GetAsync("_console/console.css");

        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("MediaGen sandbox", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
        Assert.Empty(host.Requests);
    }

    /// <summary>A vendor the console was never told about: POST /v1/predictions accepts and charges 0.01 USD.</summary>
    private sealed class PingEmulator(string name) : IVendorEmulator
    {
        private int _next;

        public string Name => name;

        public void Map(IEndpointRouteBuilder routes, EmulatorContext context) =>
            routes.MapPost("/v1/predictions", (HttpContext _) =>
            {
                string id = "p" + Interlocked.Increment(ref _next);
                context.Jobs.Create(id, "prompt");
                context.Ledger.Accept(id, null, 0.01m, "USD", "prompt");
                return Results.Json(new { id }, statusCode: 201);
            });
    }
}
