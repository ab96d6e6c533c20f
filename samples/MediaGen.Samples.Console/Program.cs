// MediaGen console sample: README's "Use it from code", for real.
//   dotnet run --project samples/MediaGen.Samples.Console -- "a lighthouse at dusk, watercolor"
// Configuration: appsettings.json (next to the binary), then environment variables (MediaGen__MeiGen__ApiKey=…),
// then command-line switches (--MediaGen:VeoGen:ApiKey=…). A vendor without an API key is left out; with no key at
// all the three vendor emulators are started on 127.0.0.1 and used instead, and nothing is billed.
using MediaGen;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.Testing;
using MediaGen.Testing.Emulators;
using MediaGen.Testing.Emulators.Apiframe;
using MediaGen.Testing.Emulators.MeiGen;
using MediaGen.VeoGen;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
var configuration = builder.Configuration;
var prompt = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "a lighthouse at dusk, watercolor";

string[] vendors = ["MeiGen", "VeoGen", "Apiframe"];
bool HasKey(string vendor) => !string.IsNullOrWhiteSpace(configuration[$"MediaGen:{vendor}:ApiKey"]);

await using EmulatorHost? sandbox = vendors.Any(HasKey) ? null : await StartSandboxAsync(configuration);

// The same registration as README's snippet; each vendor only when it has a key.
var mediaGen = builder.Services.AddMediaGen(configuration.GetSection("MediaGen"));   // MediaGen:UsdPerCredit:meigen = 0.012 …
if (HasKey("MeiGen"))
{
    mediaGen.AddMeiGen(configuration.GetSection("MediaGen:MeiGen"));                 // MediaGen:MeiGen:ApiKey
}

if (HasKey("VeoGen"))
{
    mediaGen.AddVeoGen(configuration.GetSection("MediaGen:VeoGen"));
}

if (HasKey("Apiframe"))
{
    mediaGen.AddApiframe(configuration.GetSection("MediaGen:Apiframe"));
}

mediaGen.UseRouter(o => o.Strategy = RoutingStrategy.Cheapest);

using var app = builder.Build();
await app.StartAsync();   // validates every option now (ValidateOnStart): a bad value fails here, naming its key
var generator = app.Services.GetRequiredService<IMediaGenerator>();
var router = app.Services.GetRequiredService<MediaRouter>();

var request = new GenerationRequest("nano-banana-2", prompt) { AspectRatio = AspectRatio.Parse("16:9") };

Console.WriteLine($"Quotes for {request.Model} \"{prompt}\":");
var quotes = await router.QuoteAllAsync(request);
foreach (var quote in quotes.Quotes)
{
    Console.WriteLine($"  {quote.Provider,-9} {quote.Quote.Price.Amount?.ToString() ?? "unknown",-22} {(quote.Usd is { } usd ? $"= {usd}" : "(no USD rate)")}");
}

foreach (var unavailable in quotes.Unavailable)
{
    Console.WriteLine($"  {unavailable.Provider,-9} unavailable: {unavailable.Reason}");
}

try
{
    var job = (await generator.GenerateAsync(request)).GetValueOrThrow().EnsureSucceeded();
    var file = Path.GetFullPath("lighthouse.png");
    // Output URLs come from the vendor: this client checks every address it connects to (no loopback or internal
    // network targets), and ForJob allows loopback only when the vendor itself is local (the sandbox, an emulator).
    using var http = MediaDownloads.CreateHttpClient();
    await job.Outputs[0].DownloadToFileAsync(http, file, MediaDownloadOptions.ForJob(generator, job.Handle));
    Console.WriteLine($"{job.Handle} charged {job.Charge?.ToString() ?? "(not reported)"} (quoted {job.Quote})");
    Console.WriteLine($"Saved {file}");
    return 0;
}
catch (MediaGenException ex)
{
    // Failures are values; GetValueOrThrow threw one as a MediaGenException carrying it (ex.Error says whether it was billed).
    Console.Error.WriteLine($"Generation failed: {ex.Message}");
    return 1;
}
finally
{
    await app.StopAsync();
}

static async Task<EmulatorHost> StartSandboxAsync(IConfigurationBuilder configuration)
{
    var host = await EmulatorHost.StartAsync([new MeiGenEmulator(), new VeoGenEmulator(), new ApiframeEmulator()]);
    host.Jobs.Default = JobScript.CompleteAfterPolls(1);
    Console.WriteLine($"No API keys configured (MediaGen:<Vendor>:ApiKey): using the MeiGen, VeoGen and Apiframe emulators at {host.BaseAddress}; nothing is billed.");

    // Added last, so these win over appsettings.json and the environment.
    configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["MediaGen:MeiGen:ApiKey"] = "meigen_sk_sample0000000000000000000000",
        ["MediaGen:MeiGen:BaseAddress"] = new Uri(host.BaseAddress, "api/").ToString(),
        ["MediaGen:VeoGen:ApiKey"] = VeoGenEmulator.DefaultApiKey,
        ["MediaGen:VeoGen:BaseAddress"] = new Uri(host.BaseAddress, "api/v1/").ToString(),
        ["MediaGen:Apiframe:ApiKey"] = ApiframeEmulatorOptions.DefaultApiKey,
        ["MediaGen:Apiframe:BaseAddress"] = host.BaseAddress.ToString(),
    });
    return host;
}
