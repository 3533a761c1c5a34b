// Saves a file the server streams through the circuit (DotNetStreamReference): the filters stay in the page, never in a URL.
// A module loaded on demand (Features/Admin/Audit/AuditTrailPage.razor); no inline script, so the CSP holds.
export async function downloadFile(fileName, streamReference) {
    const buffer = await streamReference.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: "text/csv;charset=utf-8" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    link.style.display = "none";
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
}
