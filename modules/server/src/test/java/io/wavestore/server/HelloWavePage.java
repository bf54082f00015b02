package io.wavestore.server;

import io.wavestore.testkit.browser.HeadlessChromium;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/** examples/hello-wave in a browser: open it, type a name, press the button, see the answer over the WebSocket. */
final class HelloWavePage {

    private HelloWavePage() {
    }

    /**
     * Greets Ada at {@code url} and waits for the app's answer; on failure leaves a screenshot named
     * {@code <prefix>-not-loaded.png} or {@code <prefix>-no-answer.png} in {@code screenshots}.
     */
    static void greetAda(HeadlessChromium browser, String url, Path screenshots, String prefix) {
        WebDriver page = browser.driver();
        page.get(url);
        WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(60));
        WebElement name;
        try {
            name = wait.until(d -> d.findElements(By.cssSelector("[data-test=who]")).stream().findFirst().orElse(null));
        } catch (TimeoutException e) {
            browser.screenshot(screenshots.resolve(prefix + "-not-loaded.png"));
            throw new AssertionError("the app's UI did not appear; the page was:\n" + page.getPageSource(), e);
        }
        // Wave's inputs are React-controlled: replace the text as a person would, not with clear().
        name.sendKeys(Keys.chord(Keys.CONTROL, "a"), "Ada");
        page.findElement(By.cssSelector("[data-test=greet]")).click();
        try {
            wait.until(d -> d.getPageSource().contains("Hello, Ada! Greetings from Wavestore."));
        } catch (TimeoutException e) {
            browser.screenshot(screenshots.resolve(prefix + "-no-answer.png"));
            throw new AssertionError("the app did not answer; the page was:\n" + page.getPageSource(), e);
        }
    }
}
