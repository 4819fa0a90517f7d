package io.redisdiscovery.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives the dashboard in Debian's headless Chromium: the Sentinel topology shows, an ordered failover clicked on the
 * page moves the master, and the workload's errors settle back to zero. Shares its context with
 * {@link SentinelProfileTests}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("sentinel")
class DashboardBrowserTests {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private static final String ADDRESS = "\\d+\\.\\d+\\.\\d+\\.\\d+:\\d+";

	@LocalServerPort
	private int port;

	private Path profile;

	private WebDriver browser;

	@BeforeEach
	void startBrowser() throws IOException {
		this.profile = Files.createTempDirectory("sample-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1400,1100", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		this.browser = new ChromeDriver(service, options);
	}

	@AfterEach
	void stopBrowser() throws IOException {
		try {
			if (this.browser != null) {
				this.browser.quit();
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(this.profile);
		}
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
		return this.browser.findElement(By.id(id)).getText().trim();
	}

	private WebDriverWait waitUpTo(int seconds) {
		return new WebDriverWait(this.browser, Duration.ofSeconds(seconds), Duration.ofMillis(200));
	}

}
