// The console's entry: who is logged in, then the pages. Every page reads the API (docs/api.md); nothing is cached
// beyond the page in view.
import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter, Route, Routes } from 'react-router';
import { logout, setUnauthorizedHandler, whoAmI, type User } from './api';
import { SessionContext, useStream } from './ui/hooks';
import { Layout } from './ui/Layout';
import { ErrorBox, Loading } from './ui/states';
import { Login } from './pages/Login';
import { Dashboard } from './pages/Dashboard';
import { Alerts, AlertPage } from './pages/Alerts';
import { Reports } from './pages/Reports';
import { Triage } from './pages/Triage';
import { IncidentPage } from './pages/IncidentPage';
import { Assets } from './pages/Assets';
import { AssetPage } from './pages/AssetPage';
import { MapPage } from './pages/MapPage';
import { Events } from './pages/Events';
import { Captures } from './pages/Captures';
import { Settings } from './pages/Settings';
import { NotFound } from './pages/NotFound';
import './styles.css';

function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [error, setError] = useState<Error | null>(null);
  const check = useCallback(() => {
    setError(null);
    whoAmI().then(setUser, (e: Error) => setError(e));
  }, []);
  useEffect(() => {
    setUnauthorizedHandler(() => setUser(null));
    check();
  }, [check]);
  const stream = useStream(user !== null && user !== undefined);
  const onLogout = useCallback(() => {
    void logout().finally(() => setUser(null));
  }, []);

  if (error !== null) {
    return (
      <main id="main" className="center">
        <ErrorBox error={error} retry={check} />
      </main>
    );
  }
  if (user === undefined) {
    return (
      <main id="main" className="center">
        <Loading what="Lantern" />
      </main>
    );
  }
  if (user === null) return <Login onLogin={setUser} />;
  return (
    <SessionContext.Provider value={{ user, stream, onLogout }}>
      <Layout>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/triage" element={<Triage />} />
          <Route path="/incidents/:id" element={<IncidentPage />} />
          <Route path="/alerts" element={<Alerts />} />
          <Route path="/alerts/:id" element={<AlertPage />} />
          <Route path="/assets" element={<Assets />} />
          <Route path="/assets/:id" element={<AssetPage />} />
          <Route path="/map" element={<MapPage />} />
          <Route path="/events" element={<Events />} />
          <Route path="/captures" element={<Captures />} />
          <Route path="/reports" element={<Reports />} />
          <Route path="/settings" element={<Settings />} />
          <Route path="*" element={<NotFound />} />
        </Routes>
      </Layout>
    </SessionContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <BrowserRouter>
      <App />
    </BrowserRouter>
  </StrictMode>,
);
