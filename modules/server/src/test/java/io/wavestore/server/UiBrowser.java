package io.wavestore.server;

import io.wavestore.testkit.browser.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The store's web UI in a real headless Chromium, with what its tests keep doing: wait for an element, save a
 * screenshot of the page (target/screenshots/ui-*.png), act as another user of the development identity, and drop a
 * file on an element as a person dragging it from their desktop would.
 */
final class UiBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private final HeadlessChromium chromium;
    private final String base;

    UiBrowser(int port) {
        this.chromium = HeadlessChromium.start();
        this.base = "http://127.0.0.1:" + port;
    }

    WebDriver driver() {
        return chromium.driver();
    }

    UiBrowser open(String path) {
        driver().get(base + path);
        return this;
    }

    WebElement await(String css) {
        return await(css, Duration.ofSeconds(20));
    }

    WebElement await(String css, Duration within) {
        return until(d -> d.findElements(By.cssSelector(css)).stream().filter(WebElement::isDisplayed).findFirst()
                .orElse(null), within, "no visible " + css);
    }

    <T> T until(Function<WebDriver, T> condition, Duration within, String failure) {
        try {
            // A page that re-renders (the live tables, a navigation) can replace an element between finding and reading it.
            return new WebDriverWait(driver(), within).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(condition::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed");
            throw new AssertionError(failure + " within " + within + " at " + driver().getCurrentUrl() + "; the page:\n"
                    + text("body"), e);
        }
    }

    List<WebElement> all(String css) {
        return driver().findElements(By.cssSelector(css));
    }

    String text(String css) {
        return driver().findElement(By.cssSelector(css)).getText();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver()).executeScript(js, args);
    }

    void screenshot(String name) {
        chromium.screenshot(SCREENSHOTS.resolve("ui-" + name + ".png"));
    }

    /**
     * Every request of the browser from now on carries the development identity's headers for this user: its role
     * (null for the default) and the roles its claims would hold (X-Dev-Roles, which tags' visitor roles match).
     */
    void actAs(String user, String role, String... claimRoles) {
        Map<String, String> headers = new java.util.HashMap<>(Map.of("X-Dev-User", user));
        if (role != null) {
            headers.put("X-Dev-Role", role);
        }
        if (claimRoles.length > 0) {
            headers.put("X-Dev-Roles", String.join(",", claimRoles));
        }
        ChromeDriver chrome = (ChromeDriver) driver();
        chrome.executeCdpCommand("Network.enable", Map.of());
        chrome.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", headers));
    }

    /** Drops a file on the element: a real drop event whose DataTransfer holds the file, as a desktop drag makes. */
    void dropFile(String css, String fileName, byte[] bytes) {
        script("""
                const bytes = Uint8Array.from(atob(arguments[1]), c => c.charCodeAt(0));
                const transfer = new DataTransfer();
                transfer.items.add(new File([bytes], arguments[0], { type: 'application/zip' }));
                const target = document.querySelector(arguments[2]);
                for (const type of ['dragenter', 'dragover', 'drop']) {
                  target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: transfer }));
                }
                """, fileName, Base64.getEncoder().encodeToString(bytes), css);
    }

    @Override
    public void close() {
        chromium.close();
    }
}
