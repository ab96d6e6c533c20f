namespace MediaGen.VeoGen;

/// <summary>
/// One page of <c>GET /generations</c>. The paging fields are null for the combined list (no <c>type</c>), which
/// VeoGen returns without <c>meta</c>.
/// </summary>
/// <param name="Jobs">The generations, most recent first.</param>
/// <param name="CurrentPage">The page number, when reported.</param>
/// <param name="LastPage">The last page number, when reported.</param>
/// <param name="PerPage">The page size, when reported.</param>
/// <param name="Total">The total number of generations of the kind, when reported.</param>
public sealed record VeoGenGenerationPage(IReadOnlyList<GenerationJob> Jobs, int? CurrentPage, int? LastPage, int? PerPage, int? Total);
