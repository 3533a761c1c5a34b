// Print the current page with the print stylesheet. A module so components load it on demand
// (see Components/Shared/PrintButton.razor); closing any open MudBlazor popover first keeps menus off the paper.
export function printPage() {
    if (document.activeElement instanceof HTMLElement) {
        document.activeElement.blur();
    }
    window.print();
}
