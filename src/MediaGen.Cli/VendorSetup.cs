using System.Globalization;
using MediaGen.Apiframe;
using MediaGen.MeiGen;
using MediaGen.Replicate;
using MediaGen.Routing;
using MediaGen.VeoGen;

namespace MediaGen.Cli;

/// <summary>Builds the vendors from the environment (or the sandbox) and the router over them.</summary>
internal sealed class VendorSetup : IAsyncDisposable
{
    private readonly List<HttpClient> _clients = [];

    private VendorSetup()
    {
    }

    public MediaRouter Router { get; private set; } = null!;

    public Sandbox? Sandbox { get; private set; }

    public HttpClient DownloadClient { get; } = MediaDownloads.CreateHttpClient();

    public static async Task<VendorSetup> CreateAsync(CliContext context, bool forceSandbox, IReadOnlyList<string> usdPerCredit, CancellationToken cancellationToken)
    {
        var setup = new VendorSetup();
        var meigenKey = context.Env("MEIGEN_API_KEY");
        var veogenKey = context.Env("VEOGEN_API_KEY");
        var apiframeKey = context.Env("APIFRAME_API_KEY");
        var replicateKey = context.Env("REPLICATE_API_TOKEN");
        var providers = new List<IMediaGenerator>();
        if (forceSandbox || (meigenKey is null && veogenKey is null && apiframeKey is null && replicateKey is null))
        {
            setup.Sandbox = await Sandbox.StartAsync(0, cancellationToken).ConfigureAwait(false);
            context.OnSandboxStarted?.Invoke(setup.Sandbox);
            await context.Error.WriteLineAsync($"mediagen: no API keys set{(forceSandbox ? " (--sandbox)" : string.Empty)}: using the built-in sandbox emulators at {setup.Sandbox.Host.BaseAddress} — nothing is billed.").ConfigureAwait(false);
            providers.Add(MeiGenProvider.Create(new MeiGenOptions { ApiKey = Sandbox.MeiGenKey, BaseAddress = setup.Sandbox.MeiGenBaseUrl }, setup.Client(context), context.TimeProvider));
            providers.Add(VeoGenProvider.Create(new VeoGenOptions { ApiKey = Sandbox.VeoGenKey, BaseAddress = setup.Sandbox.VeoGenBaseUrl }, setup.Client(context), context.TimeProvider));
            providers.Add(ApiframeProvider.Create(new ApiframeOptions { ApiKey = Sandbox.ApiframeKey, BaseAddress = setup.Sandbox.ApiframeBaseUrl }, setup.Client(context), context.TimeProvider));
            providers.Add(ReplicateProvider.Create(new ReplicateOptions { ApiKey = Sandbox.ReplicateKey, BaseAddress = setup.Sandbox.ReplicateBaseUrl }, setup.Client(context), context.TimeProvider));
        }
        else
        {
            if (meigenKey is not null)
            {
                providers.Add(MeiGenProvider.Create(new MeiGenOptions { ApiKey = meigenKey, BaseAddress = BaseUrl(context, "MEIGEN_BASE_URL") ?? MeiGenOptions.DefaultBaseAddress }, setup.Client(context), context.TimeProvider));
            }

            if (veogenKey is not null)
            {
                providers.Add(VeoGenProvider.Create(new VeoGenOptions { ApiKey = veogenKey, BaseAddress = BaseUrl(context, "VEOGEN_BASE_URL") ?? VeoGenOptions.DefaultBaseAddress }, setup.Client(context), context.TimeProvider));
            }

            if (apiframeKey is not null)
            {
                providers.Add(ApiframeProvider.Create(new ApiframeOptions { ApiKey = apiframeKey, BaseAddress = BaseUrl(context, "APIFRAME_BASE_URL") ?? ApiframeOptions.DefaultBaseAddress }, setup.Client(context), context.TimeProvider));
            }

            if (replicateKey is not null)
            {
                providers.Add(ReplicateProvider.Create(new ReplicateOptions { ApiKey = replicateKey, BaseAddress = BaseUrl(context, "REPLICATE_BASE_URL") ?? ReplicateOptions.DefaultBaseAddress }, setup.Client(context), context.TimeProvider));
            }
        }

        var rates = new ExchangeRates();
        foreach (var name in new[] { "meigen", "apiframe" })
        {
            if (context.Env(name.ToUpperInvariant() + "_USD_PER_CREDIT") is { } text)
            {
                rates.SetUsdPerCredit(name, ParseRate(text, name.ToUpperInvariant() + "_USD_PER_CREDIT"));
            }
        }

        foreach (var pair in usdPerCredit)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new CliUsageException($"--usd-per-credit takes provider=rate (e.g. meigen=0.012); got '{pair}'.");
            }

            rates.SetUsdPerCredit(pair[..eq].Trim(), ParseRate(pair[(eq + 1)..], "--usd-per-credit " + pair[..eq]));
        }

        setup.Router = new MediaRouter(providers, new RouterOptions
        {
            ExchangeRates = rates,
            TimeProvider = context.TimeProvider,

            // Every vendor that could serve is rate limiting: say so while the router waits its documented back-off.
            OnRateLimitWait = wait => context.Error.WriteLine($"mediagen: {wait}"),
        });
        return setup;
    }

    public async ValueTask DisposeAsync()
    {
        // The router does not own its providers: dispose both (the providers own no client here; these are ours).
        if (Router is not null)
        {
            Router.Dispose();
            foreach (var provider in Router.Providers)
            {
                provider.Dispose();
            }
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        DownloadClient.Dispose();
        if (Sandbox is not null)
        {
            await Sandbox.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static decimal ParseRate(string text, string name) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var rate) && rate > 0
            ? rate
            : throw new CliUsageException($"{name} must be a positive USD amount per credit (e.g. 0.012); got '{text}'.");

    private static Uri? BaseUrl(CliContext context, string name)
    {
        if (context.Env(name) is not { } text)
        {
            return null;
        }

        if (!Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new CliUsageException($"{name} must be an absolute http(s) URL; got '{text}'.");
        }

        return uri;
    }

    private HttpClient Client(CliContext context)
    {
        var client = Http.MediaGenHttp.CreateClient(timeProvider: context.TimeProvider);
        _clients.Add(client);
        return client;
    }
}

/// <summary>A mistake in how the CLI was called; printed as one line, exit code 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
