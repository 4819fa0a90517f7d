package io.redisdiscovery.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the dashboard in Debian's headless Chromium: the Sentinel topology shows, an ordered failover clicked on the
 * page moves the master, and the workload's errors settle back to zero. Shares its context with
 * {@link SentinelProfileTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("sentinel")
class DashboardBrowserTests {

	private static final String ADDRESS = "\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+";

	@LocalServerPort
	private int port;

	private HeadlessChromium chromium;

	private WebDriver browser;

	@BeforeEach
	void startBrowser() throws IOException {
		this.chromium = new HeadlessChromium();
		this.browser = this.chromium.driver();
	}

	@AfterEach
	void stopBrowser() throws IOException {
		this.chromium.close();
	}

	@Test
	void orderedFailoverClickedOnThePageMovesTheMasterAndErrorsSettleToZero() throws IOException {
		this.browser.get("http://127.0.0.1:" + this.port + "/");
		waitUpTo(30).until((page) -> text("mode").equals("sentinel"));
		String master = waitUpTo(30).until((page) -> {
			String address = text("master-address");
			return address.matches(ADDRESS) ? address : null;
		});
		assertThat(this.browser.findElements(By.cssSelector("#endpoints tr[data-role=master]"))).isNotEmpty();
		assertThat(this.browser.findElement(By.id("lab-external")).isDisplayed()).isFalse();

		this.browser.findElement(By.id("workload-start")).click();
		waitUpTo(30).until((page) -> Long.parseLong(text("ops-now")) > 0);
		this.browser.findElement(By.cssSelector("#fault-buttons button[data-fault=failover]")).click();

		String newMaster = waitUpTo(90).until((page) -> {
			String address = text("master-address");
			return (address.matches(ADDRESS) && !address.equals(master)) ? address : null;
		});
		assertThat(newMaster).isNotEqualTo(master);
		waitUpTo(90).until((page) -> text("fault-status").contains("recovered"));
		waitUpTo(20).until((page) -> text("errors-recent").equals("0") && Long.parseLong(text("ops-now")) > 0);
		assertThat(this.browser.findElements(By.cssSelector("#events li"))).isNotEmpty();

		Path screenshot = ((ChromeDriver) this.browser).getScreenshotAs(OutputType.FILE).toPath();
		Files.copy(screenshot, Path.of("target", "dashboard.png"), StandardCopyOption.REPLACE_EXISTING);
		this.browser.findElement(By.id("workload-stop")).click();
	}

	private String text(String id) {
		return this.chromium.text(id);
	}

	private WebDriverWait waitUpTo(int seconds) {
		return this.chromium.waitUpTo(seconds);
	}

}
