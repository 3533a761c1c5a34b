// The compose page's browser side: focus a field named by a validation message, and save the draft when the idle
// sign-out is about to leave the page (idle.js fires `mednet:idle-signout` just before it submits the sign-out).
export function focusField(id) {
    const element = document.getElementById(id);
    if (!element) {
        return false;
    }
    element.scrollIntoView({ block: 'center' });
    element.focus();
    return document.activeElement === element;
}

export function watchIdleSignOut(dotnet) {
    const handler = () => {
        // Blurring commits a text field's value the debounce is still holding, so the save below includes it.
        if (document.activeElement instanceof HTMLElement) {
            document.activeElement.blur();
        }
        dotnet.invokeMethodAsync('SaveBeforeSignOut').catch(() => { });
    };
    window.addEventListener('mednet:idle-signout', handler);
    return { dispose: () => window.removeEventListener('mednet:idle-signout', handler) };
}
