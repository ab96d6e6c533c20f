using Microsoft.Playwright;
using Xunit.Abstractions;

// The folder is named after the command; the namespace stays MediaGen.Cli.Tests so that "Sandbox" keeps naming the CLI's type.
namespace MediaGen.Cli.Tests;

/// <summary>
/// The sandbox console as a person meets it: <c>mediagen sandbox</c> runs as a real process, headless Chromium (Debian's
/// package, driven by Playwright's bundled driver; no browser is downloaded) opens the console, a click breaks MeiGen,
/// <c>mediagen generate</c> runs against the sandbox, and everything asserted is read from the page.
/// </summary>
public class SandboxConsoleBrowserTests(ITestOutputHelper output)
{
    /// <summary>Where the test looks for Chromium: <c>MEDIAGEN_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c>.</summary>
    private static string? ChromiumPath() =>
        new[] { Environment.GetEnvironmentVariable("MEDIAGEN_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));

    /// <summary>Where screenshots go: <c>MEDIAGEN_TEST_RESULTS</c> (CI sets it to its results directory), else TestResults beside the tests.</summary>
    private static string ResultsDirectory() =>
        Directory.CreateDirectory(Environment.GetEnvironmentVariable("MEDIAGEN_TEST_RESULTS") is { Length: > 0 } dir
            ? dir
            : Path.Combine(AppContext.BaseDirectory, "TestResults")).FullName;

    /// <summary>
    /// The README's test command sets up what the tests need: as root on Debian, Chromium is installed from the OS
    /// packages when missing (as the PostgreSQL fixture installs <c>postgresql</c>); elsewhere null.
    /// </summary>
    private static async Task<string?> InstallChromiumAsync()
    {
        if (!OperatingSystem.IsLinux() || !File.Exists("/usr/bin/apt-get") || Environment.UserName != "root")
        {
            return null;
        }

        foreach (string[] args in new[] { new[] { "update", "-qq" }, new[] { "install", "-y", "-qq", "chromium" } })
        {
            var start = new System.Diagnostics.ProcessStartInfo("apt-get") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                start.ArgumentList.Add(a);
            }

            start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var process = System.Diagnostics.Process.Start(start)!;
            await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync(), process.WaitForExitAsync());
        }

        return ChromiumPath();
    }

    [Fact]
    public async Task Console_MeiGenBrokenByAClick_PageShowsMeiGenFaultsTheVeoGenJobAndOneVeoGenCharge()
    {
        string? chromium = ChromiumPath() ?? await InstallChromiumAsync();
        if (chromium is null)
        {
            // CI must run this test: there, a missing browser is a failure (`.ci/run` installs Debian's chromium).
            Assert.False(string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
                "CI=true but Chromium is missing (apt-get install -y chromium, or set MEDIAGEN_CHROMIUM): the console's browser test must run in CI.");
            output.WriteLine("Chromium not found (apt-get install -y chromium): the browser test did not run.");
            return;
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        await using var sandbox = await SandboxServer.StartAsync();
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 980 } });
        page.SetDefaultTimeout(30_000);
        string screenshot = Path.Combine(ResultsDirectory(), "sandbox-console.png");
        try
        {
            await page.GotoAsync(sandbox.Console.ToString());
            await Assertions.Expect(page.Locator("#live")).ToHaveAttributeAsync("data-state", "live");

            ILocator faultSwitch = page.Locator($"[data-fault-vendor='meigen' i] button[data-kind='{ConsoleScenario.FailoverFault}']");
            await faultSwitch.ClickAsync();
            await Assertions.Expect(faultSwitch).ToHaveAttributeAsync("aria-pressed", "true");

            var (exit, stdout, stderr) = await sandbox.GenerateAsync(ConsoleScenario.Prompt, "meigen", "veogen");
            Assert.True(exit == 0, $"mediagen generate exited {exit}.\nstdout:\n{stdout}\nstderr:\n{stderr}");

            // The live list (updated by server-sent events; the page is never reloaded).
            ILocator meigenFaulted = page.Locator($"#requests tbody tr[data-vendor='meigen' i][data-method='POST'][data-status='{ConsoleScenario.FaultStatus}']");
            ILocator veogenSubmit = page.Locator("#requests tbody tr[data-vendor='veogen' i][data-method='POST']");
            await Assertions.Expect(meigenFaulted.First).ToBeVisibleAsync();
            await Assertions.Expect(veogenSubmit).ToHaveCountAsync(1);
            await Assertions.Expect(veogenSubmit.Locator("td.status")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^20[01]"));

            // Jobs and billing: VeoGen's job, and exactly one charge in its ledger; nothing at MeiGen.
            ILocator veogen = page.Locator("[data-ledger-vendor='veogen' i]");
            await Assertions.Expect(veogen.Locator(".ledger-entry[data-kind='charge']")).ToHaveCountAsync(1);
            await Assertions.Expect(veogen.Locator(".charge-count")).ToHaveTextAsync("1");
            await Assertions.Expect(veogen.Locator("tr.job")).ToHaveCountAsync(1);
            await Assertions.Expect(veogen.Locator("tr.job")).ToContainTextAsync(ConsoleScenario.Prompt[..20]);
            await Assertions.Expect(page.Locator("[data-ledger-vendor='meigen' i] .ledger-entry")).ToHaveCountAsync(0);

            // The body on click, with the key masked.
            await veogenSubmit.ClickAsync();
            await Assertions.Expect(page.Locator("#detail-body")).ToContainTextAsync(ConsoleScenario.Prompt);
            await Assertions.Expect(page.Locator("#detail")).ToContainTextAsync("Bearer ••••");
            string text = await page.Locator("body").InnerTextAsync();
            Assert.DoesNotContain(sandbox.Environment["VEOGEN_API_KEY"], text, StringComparison.Ordinal);
            Assert.DoesNotContain(sandbox.Environment["MEIGEN_API_KEY"], text, StringComparison.Ordinal);
        }
        finally
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            output.WriteLine("screenshot: " + screenshot);
        }
    }
}
