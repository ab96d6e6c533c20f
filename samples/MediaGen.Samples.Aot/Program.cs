// MediaGen Native AOT sample: quotes and generates through the router against vendor base URLs given by environment
// (MEIGEN_BASE_URL, VEOGEN_BASE_URL, APIFRAME_BASE_URL — the lines `mediagen sandbox` prints), published with
// PublishAot=true. Keys default to each vendor's documented placeholder, which the sandbox accepts.
//   mediagen sandbox &   # then export the three *_BASE_URL lines it prints
//   dotnet publish samples/MediaGen.Samples.Aot -c Release -o out && out/MediaGen.Samples.Aot "a lighthouse at dusk"
using MediaGen;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Routing;
using MediaGen.VeoGen;

string prompt = args.FirstOrDefault() ?? "a lighthouse at dusk, watercolor";
string? Env(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

if (Env("MEIGEN_BASE_URL") is null && Env("VEOGEN_BASE_URL") is null && Env("APIFRAME_BASE_URL") is null)
{
    Console.Error.WriteLine("aot-sample: set MEIGEN_BASE_URL, VEOGEN_BASE_URL and/or APIFRAME_BASE_URL (as `mediagen sandbox` prints them).");
    return 2;
}

using var http = new HttpClient();
var providers = new List<IMediaGenerator>();
if (Env("MEIGEN_BASE_URL") is { } meigen)
{
    providers.Add(MeiGenProvider.Create(new MeiGenOptions { ApiKey = Env("MEIGEN_API_KEY") ?? "meigen_sk_YOUR_API_KEY", BaseAddress = new Uri(meigen.TrimEnd('/') + "/") }, http, TimeProvider.System));
}

if (Env("VEOGEN_BASE_URL") is { } veogen)
{
    providers.Add(VeoGenProvider.Create(new VeoGenOptions { ApiKey = Env("VEOGEN_API_KEY") ?? "YOUR_TOKEN", BaseAddress = new Uri(veogen.TrimEnd('/') + "/") }, http, TimeProvider.System));
}

if (Env("APIFRAME_BASE_URL") is { } apiframe)
{
    providers.Add(ApiframeProvider.Create(new ApiframeOptions { ApiKey = Env("APIFRAME_API_KEY") ?? "afk_YOUR_API_KEY", BaseAddress = new Uri(apiframe.TrimEnd('/') + "/") }, http, TimeProvider.System));
}

using var router = new MediaRouter(providers, new RouterOptions());
var request = new GenerationRequest("nano-banana-2", prompt) { AspectRatio = AspectRatio.Parse("16:9") };

var quotes = await router.QuoteAllAsync(request);
foreach (var quote in quotes.Quotes)
{
    Console.WriteLine($"quote {quote.Provider} {quote.Quote.Price.Amount?.ToString() ?? "unknown"}");
}

var wait = new WaitOptions { FirstPollDelay = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromMilliseconds(300) };
var result = await router.GenerateAsync(request, wait);
if (!result.IsSuccess)
{
    Console.Error.WriteLine($"aot-sample: generation failed: {result.Error}");
    return 1;
}

var job = result.Value;
Console.WriteLine($"generated {job.Handle} {job.Status} outputs={job.Outputs.Count}");
foreach (var provider in providers)
{
    provider.Dispose();
}

return job.Status == GenerationStatus.Succeeded && job.Outputs.Count > 0 ? 0 : 1;
