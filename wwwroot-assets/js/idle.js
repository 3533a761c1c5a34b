// Idle sign-out for shared clinic PCs (see Features/Account/IdleTimeout.razor). The browser owns the timing, so the
// sign-out happens even when the Blazor circuit has gone. Activity in any tab of this browser counts (localStorage).
// While the user is active, the server is told so (POST account/activity, at most every heartbeatMs): it ends a session
// itself when it hears nothing for longer than the idle timeout, in case this script never runs the sign-out.
const ACTIVITY_EVENTS = ['mousemove', 'mousedown', 'keydown', 'touchstart', 'wheel', 'scroll', 'focus'];
const STORAGE_KEY = 'mednet-idle-last-activity';

export function start(form, dotnet, timeoutMs, warningMs, heartbeatMs) {
    let last = Date.now();
    let beatFor = last;
    let beatAt = 0;
    let lastShared = 0;
    let warned = false;
    let done = false;

    const share = now => {
        if (now - lastShared < 1000) {
            return;
        }
        lastShared = now;
        try {
            localStorage.setItem(STORAGE_KEY, String(now));
        } catch {
            // Storage off: this tab still counts its own activity.
        }
    };

    const onActivity = () => {
        // During the warning only the 「続ける」 button continues the session: a stray mouse move is not a person returning.
        if (warned || done) {
            return;
        }
        last = Date.now();
        share(last);
    };

    const onStorage = event => {
        const when = Number(event.newValue);
        if (event.key !== STORAGE_KEY || done || !(when > last)) {
            return;
        }
        last = when;
        if (warned) {
            warned = false;
            dotnet.invokeMethodAsync('HideWarning').catch(() => { });
        }
    };

    const beat = now => {
        if (!(heartbeatMs > 0) || last <= beatFor || now - beatAt < heartbeatMs) {
            return;
        }
        beatFor = last;
        beatAt = now;
        fetch('account/activity', { method: 'POST', headers: { 'X-MedNet-Activity': '1' }, credentials: 'same-origin', keepalive: true })
            .catch(() => { });
    };

    const tick = () => {
        if (done) {
            return;
        }
        beat(Date.now());
        const idle = Date.now() - last;
        if (idle >= timeoutMs) {
            done = true;
            stop();
            // Features with unsaved work may save a draft now (synchronously or with navigator.sendBeacon).
            window.dispatchEvent(new CustomEvent('mednet:idle-signout'));
            form.submit();
            return;
        }
        if (idle >= timeoutMs - warningMs) {
            const first = !warned;
            warned = true;
            dotnet.invokeMethodAsync('ShowWarning', Math.ceil((timeoutMs - idle) / 1000))
                .then(() => {
                    if (first) {
                        document.getElementById('idle-continue')?.focus();
                    }
                })
                .catch(() => { });
        }
    };

    ACTIVITY_EVENTS.forEach(name => window.addEventListener(name, onActivity, { capture: true, passive: true }));
    window.addEventListener('storage', onStorage);
    const timer = setInterval(tick, Math.min(1000, Math.max(250, warningMs / 4)));

    function stop() {
        clearInterval(timer);
        ACTIVITY_EVENTS.forEach(name => window.removeEventListener(name, onActivity, { capture: true }));
        window.removeEventListener('storage', onStorage);
    }

    return {
        reset() {
            warned = false;
            last = Date.now();
            lastShared = 0;
            share(last);
        },
        stop,
    };
}
