using MediaGen.JobStoreContract;

namespace MediaGen.Tests.Jobs.Store;

/// <summary>The <see cref="IJobStore"/> contract over <see cref="InMemoryJobStore"/>.</summary>
public sealed class InMemoryJobStoreTests : JobStoreContractTests
{
    /// <inheritdoc/>
    protected override Task<IJobStore> CreateStoreAsync(TimeProvider clock) => Task.FromResult<IJobStore>(new InMemoryJobStore(clock));

    /// <inheritdoc/>
    protected override Task<IJobStore> OpenSecondAsync(IJobStore first, TimeProvider clock) => Task.FromResult(first);
}
